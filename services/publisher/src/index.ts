export { publisherService } from "./handlers.ts";
export { type PublishDeps, publishEvent, publishTranslation } from "./publish-translation.ts";
export { type DeliverDeps, deliverWebhook, WEBHOOK_TIMEOUT_MS } from "./webhooks/deliver-webhook.ts";
