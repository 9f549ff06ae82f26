import { randomBytes } from "node:crypto";
import { isIP } from "node:net";
import type { Config } from "@babelwire/config";
import { errorCode, errorMessage } from "@babelwire/core";
import { type Db, getSourcePush, recordPushError, recordPushRequested, type SourcePushRow } from "@babelwire/db";
import { assertPublicAddress, isPublicAddress, type WebSubDiscovery } from "@babelwire/ingest";

export interface SubscribeDeps {
  db: Db;
  /** Without it (tests of polling alone) sources are only polled. */
  config?: Pick<Config, "PUBLIC_BASE_URL">;
  logger: {
    info(fields: Record<string, unknown>, message: string): void;
    warn(fields: Record<string, unknown>, message: string): void;
  };
}

/** WebSub's usual lease; hubs may grant less. */
const LEASE_SECONDS = 10 * 24 * 3600;
/** A request the hub never verified, or one it denied, is made again after this long. */
const RETRY_REQUEST_MS = 3600_000;
const HUB_TIMEOUT_MS = 10_000;
/** 307 and 308 keep the POST and its body; a hub moved more often than this is refused. */
const MAX_HUB_REDIRECTS = 3;
/** While pushes arrive, polling is only the safety net for a lost one. */
export const PUSH_SAFETY_POLL_SECONDS = 30 * 60;

/** Per process: the one log line that says hubs cannot reach this installation. */
let unreachableLogged = false;

/**
 * After a poll read the feed: subscribes at the hub it announces (WebSub §5.1) when there is
 * no subscription yet, the hub or topic changed, half the lease has run, or an earlier request
 * was never verified or was denied an hour ago. The callback is PUBLIC_BASE_URL plus an
 * unguessable id; the secret makes the hub sign what it pushes. Failures are stored in the
 * source's push health; polling goes on regardless. Returns whether pushes are live now.
 */
export async function keepPushSubscription(
  deps: SubscribeDeps,
  source: { id: string; url: string },
  discovery: WebSubDiscovery | null,
  now: Date,
): Promise<boolean> {
  if (!discovery || !deps.config) return false;
  const base = deps.config.PUBLIC_BASE_URL;
  if (!reachableFrom(base, discovery.hub)) {
    if (!unreachableLogged) {
      unreachableLogged = true;
      deps.logger.warn(
        { publicBaseUrl: base, hub: discovery.hub },
        "PUBLIC_BASE_URL is a local address that public WebSub hubs cannot call back; sources are polled instead",
      );
    }
    return false;
  }
  const current = await getSourcePush(deps.db, source.id);
  const live = current?.state === "active" && (current.lease_expires_at?.getTime() ?? 0) > now.getTime();
  if (!dueForRequest(current, discovery, now)) return live;
  const callbackId = current?.callback_id ?? randomBytes(24).toString("base64url");
  const secret = current?.secret ?? randomBytes(32).toString("base64url");
  // Recorded first: the hub may call back to verify before its answer to this request arrives.
  await recordPushRequested(deps.db, { sourceId: source.id, ...discovery, callbackId, secret });
  const error = await askHub(source, discovery, `${base}/websub/callback/${callbackId}`, secret);
  if (error) await recordPushError(deps.db, source.id, error);
  else deps.logger.info({ sourceId: source.id, hub: discovery.hub }, "asked the feed's WebSub hub to push it");
  return live;
}

function dueForRequest(current: SourcePushRow | undefined, discovery: WebSubDiscovery, now: Date): boolean {
  if (!current || current.hub !== discovery.hub || current.topic !== discovery.topic) return true;
  if (current.state === "active" && current.lease_expires_at && current.verified_at) {
    const lease = current.lease_expires_at.getTime() - current.verified_at.getTime();
    return current.lease_expires_at.getTime() - now.getTime() < lease / 2;
  }
  return now.getTime() - current.requested_at.getTime() > RETRY_REQUEST_MS;
}

/**
 * Whether a hub can reach our callbacks: a PUBLIC_BASE_URL on loopback or a private address
 * serves hubs on the same kind of network only (a test hub, an intranet), never a public one.
 */
function reachableFrom(base: string, hub: string): boolean {
  const local = (url: string) => {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, "");
    return host === "localhost" || host.endsWith(".localhost") || (isIP(host) !== 0 && !isPublicAddress(host));
  };
  return !local(base) || local(hub);
}

/**
 * POSTs the subscription request. A hub named by a feed is untrusted input, like any link in
 * it: only a public address, or the source's own host (which its operator chose), is asked,
 * and every redirect is checked again before it is followed (websub.rocks subscriber 105,
 * 106: a hub that moved), so a public hub cannot bounce the request into our network.
 */
async function askHub(
  source: { url: string },
  discovery: WebSubDiscovery,
  callback: string,
  secret: string,
): Promise<string | null> {
  const form = new URLSearchParams({
    "hub.mode": "subscribe",
    "hub.topic": discovery.topic,
    "hub.callback": callback,
    "hub.secret": secret,
    "hub.lease_seconds": String(LEASE_SECONDS),
  });
  try {
    let hub = new URL(discovery.hub);
    for (let hop = 0; ; hop++) {
      if (hub.hostname !== hostnameOf(source.url)) await assertPublicAddress(hub.hostname);
      const response = await fetch(hub, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", "user-agent": "Babelwire-WebSub/1" },
        body: form,
        redirect: "manual",
        signal: AbortSignal.timeout(HUB_TIMEOUT_MS),
      });
      await response.body?.cancel();
      const location = response.headers.get("location");
      if ((response.status === 307 || response.status === 308) && location && hop < MAX_HUB_REDIRECTS) {
        hub = new URL(location, hub);
        continue;
      }
      if (response.ok) return null;
      return `WEBSUB_HUB_HTTP_${response.status}: The hub answered ${response.status} to the subscription request.`;
    }
  } catch (error) {
    return `${errorCode(error)}: ${errorMessage(error)}`;
  }
}

function hostnameOf(url: string): string | null {
  try {
    return new URL(url).hostname;
  } catch {
    return null;
  }
}
