import { listPendingDeliveryIds, listPendingWebSubJobs } from "@babelwire/db";
import type { ServiceParts } from "@babelwire/runtime";
import { type PublishDeps, publishTranslation } from "./publish-translation.ts";
import { type DeliverDeps, deliverWebhook } from "./webhooks/deliver-webhook.ts";
import { deliverWebSubContent, verifyWebSubIntent, type WebSubHubDeps } from "./websub/hub-jobs.ts";

/** Enough for any backlog a lost Redis leaves; the rest come on the next start. */
const REQUEUE_LIMIT = 10_000;

export function publisherService(deps: PublishDeps & DeliverDeps & WebSubHubDeps): ServiceParts {
  return {
    handlers: {
      publish: (payload) => publishTranslation(deps, payload),
      // One queue, one schedule of retries, for everything sent to partners' endpoints.
      deliver: (payload, job) => {
        if (payload.websub === "verify") return verifyWebSubIntent(deps, payload.deliveryId, job);
        if (payload.websub === "content") return deliverWebSubContent(deps, payload.deliveryId, job);
        return deliverWebhook(deps, payload, job);
      },
    },
    async afterStart() {
      // Redis can be lost without losing a delivery: the rows say what is still to send, and
      // a job id per delivery keeps one that is still queued (or waiting to retry) from doubling.
      for (const deliveryId of await listPendingDeliveryIds(deps.db, REQUEUE_LIMIT)) {
        await deps.queues.enqueueDeliver({ deliveryId });
      }
      const websub = await listPendingWebSubJobs(deps.db, REQUEUE_LIMIT);
      for (const deliveryId of websub.intents) await deps.queues.enqueueDeliver({ deliveryId, websub: "verify" });
      for (const deliveryId of websub.deliveries) await deps.queues.enqueueDeliver({ deliveryId, websub: "content" });
      return undefined;
    },
  };
}
