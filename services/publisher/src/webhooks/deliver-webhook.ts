import type { Config } from "@babelwire/config";
import { CodedError } from "@babelwire/core";
import {
  type Db,
  type DeliveryTarget,
  getDeliveryTarget,
  isEntitled,
  listPublished,
  recordDeliveryAttempt,
} from "@babelwire/db";
import type { JobInfo, JobPayload } from "@babelwire/queue";
import {
  groupVersionsByArticle,
  liveNinjs,
  standardWebhookHeaders,
  webhookBody,
  webhookSignature,
} from "@babelwire/syndicate";
import { attemptDelivery } from "../delivery-attempt.ts";
import { WEBHOOK_ERRORS } from "../delivery-errors.ts";
import { postWebhook } from "./post-webhook.ts";

/** docs/contract.md ("Webhooks"): a receiver that has not answered within 10 s has failed this attempt. */
export const WEBHOOK_TIMEOUT_MS = 10_000;
/** More language versions than one article will ever have; one query reads them all. */
const MAX_VERSIONS = 100;

export interface DeliverDeps {
  db: Db;
  config: Pick<Config, "PUBLIC_BASE_URL">;
  metrics: { countWebhookDelivery(outcome: string): void };
  logger: { error(fields: Record<string, unknown>, message: string): void };
  /** WEBHOOK_TIMEOUT_MS unless a test wants a slow receiver to fail sooner. */
  webhookTimeoutMs?: number;
}

/**
 * One attempt of one webhook delivery. A 2xx marks it delivered; anything else is counted on
 * the row (attempts, last status, last error) and thrown, so BullMQ retries it on the catalog's
 * schedule; after the last attempt, or on a permanent error, the row is `failed` for good.
 */
export async function deliverWebhook(deps: DeliverDeps, payload: JobPayload<"deliver">, job: JobInfo) {
  const target = await getDeliveryTarget(deps.db, payload.deliveryId);
  // The partner was deleted (its deliveries with it), or the delivery was made by a run before.
  if (!target) return { outcome: "skipped", reason: "delivery deleted" };
  if (target.status === "delivered") return { outcome: "already_delivered" };
  const status = await attemptDelivery(
    job,
    {
      record: (attempt) => recordDeliveryAttempt(deps.db, target.id, attempt),
      count(outcome, reason) {
        deps.metrics.countWebhookDelivery(outcome);
        if (outcome === "failed") {
          deps.logger.error({ ...logFields(target), attempts: job.attempt, err: reason }, "webhook delivery failed");
        }
      },
    },
    () => attempt(deps, target),
    {
      refused: (status) =>
        `The receiver answered ${status}${status >= 300 && status < 400 ? " (redirects are not followed)" : ""}.`,
    },
  );
  return { outcome: "delivered", status };
}

/**
 * Renders the item as it is now and POSTs it, signed. A retry of an older event thus never takes
 * a partner back to older text: the item's `version` says which one it carries, and a withdrawn
 * item comes as `pubstatus: canceled` whatever the event.
 */
async function attempt(deps: DeliverDeps, target: DeliveryTarget): Promise<number> {
  if (!target.webhook_url) {
    throw new CodedError(WEBHOOK_ERRORS.NO_URL, "The partner has no webhook URL any more.", { permanent: true });
  }
  const rows = await listPublished(deps.db, { articleId: target.article_id, withdrawn: true, limit: MAX_VERSIONS });
  const item = rows.find((row) => row.translationId === target.translation_id);
  if (!item) throw new CodedError(WEBHOOK_ERRORS.NO_ITEM, "The translation was never live.", { permanent: true });
  // A licence narrowed since the event was announced stops new text, never a withdrawal.
  if (target.event !== "withdrawn" && !isEntitled(target, { lang: item.lang, sourceId: item.sourceId })) {
    throw new CodedError(WEBHOOK_ERRORS.NOT_ENTITLED, `The partner no longer licenses ${item.lang} from this source.`, {
      permanent: true,
    });
  }
  const versions = groupVersionsByArticle(rows.filter((row) => row.status !== "withdrawn"));
  const body = webhookBody(target.event, liveNinjs(item, versions, deps.config.PUBLIC_BASE_URL));
  return postWebhook({
    url: target.webhook_url,
    body,
    headers: {
      "content-type": "application/json; charset=utf-8",
      "user-agent": "Babelwire-Webhooks/1",
      "x-babelwire-event": target.event,
      "x-babelwire-delivery": target.id,
      // Kept for receivers built before the Standard Webhooks headers, until the contract retires it.
      "x-babelwire-signature": webhookSignature(target.webhook_secret, body),
      ...standardWebhookHeaders(target.webhook_secret, target.id, body),
    },
    allowPrivate: target.allow_private_webhook,
    timeoutMs: deps.webhookTimeoutMs ?? WEBHOOK_TIMEOUT_MS,
  });
}

/** What identifies a delivery in a log line; never the secret or the URL's credentials. */
function logFields(target: DeliveryTarget) {
  return {
    deliveryId: target.id,
    partnerId: target.partner_id,
    event: target.event,
    articleId: target.article_id,
    lang: target.lang,
  };
}
