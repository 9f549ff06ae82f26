import { createHmac, randomBytes } from "node:crypto";
import type { Config } from "@babelwire/config";
import { CodedError, errorCode, errorMessage } from "@babelwire/core";
import {
  confirmWebSubIntent,
  type Db,
  type DeliveryAttempt,
  endWebSubSubscription,
  getWebSubDeliveryTarget,
  getWebSubIntent,
  isEntitled,
  listPublished,
  listPublishedVersions,
  recordDeliveryAttempt,
  refuseWebSubIntent,
  type WebSubAudience,
} from "@babelwire/db";
import type { JobInfo } from "@babelwire/queue";
import { feedFormatSpec, feedLinkHeader, renderPartnerFeed, websubHubUrl } from "@babelwire/syndicate";
import { attemptDelivery } from "../delivery-attempt.ts";
import { WEBSUB_ERRORS } from "../delivery-errors.ts";
import { WEBHOOK_TIMEOUT_MS } from "../webhooks/deliver-webhook.ts";
import { requestReceiver } from "../webhooks/post-webhook.ts";

export interface WebSubHubDeps {
  db: Db;
  config: Pick<Config, "PUBLIC_BASE_URL" | "PUBLIC_SITE_URL">;
  metrics: { countWebSub(role: "hub", outcome: string): void };
  logger: { warn(fields: Record<string, unknown>, message: string): void };
  /** WEBHOOK_TIMEOUT_MS unless a test wants a slow callback to fail sooner. */
  webhookTimeoutMs?: number;
}

/** A network failure while verifying is retried this many times before the intent counts as refused. */
const VERIFY_ATTEMPTS = 3;
const USER_AGENT = "Babelwire-WebSub-Hub/1";
/** Why a subscription ends when its token can no longer read: it reads with that token's licence. */
export const TOKEN_DEAD = `${WEBSUB_ERRORS.TOKEN_REVOKED}: The topic's token was revoked, expired or its partner removed.`;

/**
 * Verification of intent (WebSub §5.3): GET the callback with `hub.challenge`; only a 2xx whose
 * body is exactly the challenge confirms it. Anything else refuses it (the subscriber said no);
 * a callback that cannot be reached is tried again a few times. A subscription whose token died
 * in between is refused without asking.
 */
export async function verifyWebSubIntent(deps: WebSubHubDeps, intentId: string, job: JobInfo) {
  const intent = await getWebSubIntent(deps.db, intentId);
  if (!intent) return { outcome: "skipped", reason: "a newer request replaced this one" };
  const refuse = async (reason: string) => {
    await refuseWebSubIntent(deps.db, intentId, reason);
    deps.metrics.countWebSub("hub", "refused");
    return { outcome: "refused", reason };
  };
  if (intent.intent_mode === "subscribe" && !intent.token_live) {
    return refuse(`${WEBSUB_ERRORS.TOKEN_REVOKED}: The topic's token was revoked or expired before verification.`);
  }
  const challenge = randomBytes(24).toString("base64url");
  const url = new URL(intent.callback);
  url.searchParams.set("hub.mode", intent.intent_mode);
  url.searchParams.set("hub.topic", intent.topic);
  url.searchParams.set("hub.challenge", challenge);
  if (intent.intent_mode === "subscribe")
    url.searchParams.set("hub.lease_seconds", String(intent.intent_lease_seconds));
  let answer: { status: number; body: string };
  try {
    answer = await requestReceiver({
      method: "GET",
      url: url.href,
      headers: { "user-agent": USER_AGENT },
      allowPrivate: intent.allow_private_webhook,
      timeoutMs: deps.webhookTimeoutMs ?? WEBHOOK_TIMEOUT_MS,
      readLimit: challenge.length + 1,
    });
  } catch (error) {
    const reason = `${errorCode(error)}: ${errorMessage(error)}`;
    const permanent = error instanceof CodedError && error.permanent;
    if (permanent || job.attempt >= Math.min(VERIFY_ATTEMPTS, job.maxAttempts)) return refuse(reason);
    throw error;
  }
  if (answer.status < 200 || answer.status > 299 || answer.body !== challenge) {
    return refuse(
      `${WEBSUB_ERRORS.NOT_CONFIRMED}: The callback answered ${answer.status} ${answer.body === challenge ? "with" : "without"} the challenge.`,
    );
  }
  await confirmWebSubIntent(deps.db, intentId);
  deps.metrics.countWebSub("hub", "verified");
  return { outcome: "verified", mode: intent.intent_mode };
}

/**
 * One content distribution (WebSub §7): the subscribed feed as it is now, rendered under the
 * topic token's licence, POSTed with its Content-Type, the hub and self Link headers and, when
 * the subscriber gave a secret, `X-Hub-Signature: sha256=` of the body. Non-2xx retries on the
 * webhook schedule; 410 Gone ends the subscription; a dead token ends it too.
 */
export async function deliverWebSubContent(deps: WebSubHubDeps, deliveryId: string, job: JobInfo) {
  const target = await getWebSubDeliveryTarget(deps.db, deliveryId);
  if (!target) return { outcome: "skipped", reason: "subscription deleted" };
  const { delivery, subscription } = target;
  if (delivery.status !== "pending") return { outcome: `already_${delivery.status}` };
  const record = (attempt: DeliveryAttempt) => recordDeliveryAttempt(deps.db, deliveryId, attempt, "websub_deliveries");
  const stop = await reasonToStop(subscription);
  if (stop) {
    await record({ status: null, error: stop, outcome: "failed" });
    if (subscription.state === "active") await endWebSubSubscription(deps.db, subscription.id, stop);
    deps.metrics.countWebSub("hub", "failed");
    return { outcome: "ended", reason: stop };
  }
  const status = await attemptDelivery(
    job,
    { record, count: (outcome) => deps.metrics.countWebSub("hub", outcome) },
    () => postContent(deps, subscription),
    { refused: (status) => `The callback answered ${status}.`, leaves: (status) => status === 410 },
  );
  if (status === 410) {
    const reason = `${WEBSUB_ERRORS.GONE}: The callback answered 410 Gone.`;
    await record({ status, error: reason, outcome: "failed" });
    await endWebSubSubscription(deps.db, subscription.id, reason);
    deps.metrics.countWebSub("hub", "gone");
    return { outcome: "gone" };
  }
  return { outcome: "delivered", status };
}

/** Why this subscription may receive nothing more, or null while it may. */
async function reasonToStop(subscription: WebSubAudience): Promise<string | null> {
  if (!subscription.token_live) return TOKEN_DEAD;
  if (subscription.state !== "active") return `${WEBSUB_ERRORS.NOT_ACTIVE}: The subscription is ${subscription.state}.`;
  if (!subscription.expires_at || subscription.expires_at.getTime() <= Date.now()) {
    return `${WEBSUB_ERRORS.LEASE_EXPIRED}: The subscription's lease ended without renewal.`;
  }
  const licence = licenceOf(subscription);
  if (licence && !isEntitled(licence, { lang: subscription.lang })) {
    return `${WEBSUB_ERRORS.NOT_ENTITLED}: The token's partner no longer licenses ${subscription.lang}.`;
  }
  return null;
}

/** A partner token's licence; null for admin and editor tokens, which read everything. */
function licenceOf(subscription: WebSubAudience): { languages: string[]; sources: string[] | null } | null {
  return subscription.role === "partner"
    ? { languages: subscription.languages ?? [], sources: subscription.sources }
    : null;
}

async function postContent(deps: WebSubHubDeps, subscription: WebSubAudience): Promise<number> {
  const base = deps.config.PUBLIC_BASE_URL;
  const parts = {
    lang: subscription.lang,
    format: subscription.format,
    source: subscription.source_filter ?? undefined,
    category: subscription.category ?? undefined,
    limit: subscription.item_limit,
    sources: licenceOf(subscription)?.sources ?? undefined,
  };
  const items = await listPublished(deps.db, {
    lang: parts.lang,
    sourceId: parts.source,
    sourceIds: parts.sources,
    category: parts.category,
    limit: parts.limit,
  });
  const versions = await listPublishedVersions(
    deps.db,
    items.map((item) => item.articleId),
  );
  const { body } = renderPartnerFeed(parts, items, versions, base, deps.config.PUBLIC_SITE_URL);
  const headers: Record<string, string> = {
    "content-type": `${feedFormatSpec(parts.format).mediaType}; charset=utf-8`,
    link: feedLinkHeader(websubHubUrl(base), subscription.topic),
    "user-agent": USER_AGENT,
  };
  if (subscription.secret) {
    headers["x-hub-signature"] =
      `sha256=${createHmac("sha256", subscription.secret).update(body, "utf8").digest("hex")}`;
  }
  return (
    await requestReceiver({
      method: "POST",
      url: subscription.callback,
      body,
      headers,
      allowPrivate: subscription.allow_private_webhook,
      timeoutMs: deps.webhookTimeoutMs ?? WEBHOOK_TIMEOUT_MS,
    })
  ).status;
}
