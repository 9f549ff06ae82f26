import { listPendingDeliveryIds } from "@babelwire/db";
import type { ServiceParts } from "@babelwire/runtime";
import { type PublishDeps, publishTranslation } from "./publish-translation.ts";
import { type DeliverDeps, deliverWebhook } from "./webhooks/deliver-webhook.ts";

/** Enough for any backlog a lost Redis leaves; the rest come on the next start. */
const REQUEUE_LIMIT = 10_000;

export function publisherService(deps: PublishDeps & DeliverDeps): ServiceParts {
  return {
    handlers: {
      publish: (payload) => publishTranslation(deps, payload),
      deliver: (payload, job) => deliverWebhook(deps, payload, job),
    },
    async afterStart() {
      // Redis can be lost without losing a delivery: the rows say what is still to send, and
      // a job id per delivery keeps one that is still queued (or waiting to retry) from doubling.
      for (const deliveryId of await listPendingDeliveryIds(deps.db, REQUEUE_LIMIT)) {
        await deps.queues.enqueueDeliver({ deliveryId });
      }
      return undefined;
    },
  };
}
