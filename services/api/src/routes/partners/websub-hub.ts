import { normalizeLanguageTag } from "@babelwire/core";
import { requestWebSubIntent } from "@babelwire/db";
import { assertPublicLiteral } from "@babelwire/ingest";
import type { FastifyInstance } from "fastify";
import type { ApiDeps } from "../../deps.ts";
import { readScope } from "../../entitlements/licence.ts";
import { ApiError } from "../../plugins/errors.ts";
import { errors } from "../../schemas.ts";

/** WebSub's recommended default lease; subscribers renew before it ends. */
export const DEFAULT_LEASE_SECONDS = 10 * 24 * 3600;
/** The longest lease granted: a subscription whose subscriber went away ends within a month. */
export const MAX_LEASE_SECONDS = 30 * 24 * 3600;
const MIN_LEASE_SECONDS = 60;
/** WebSub §5.1: hub.secret is less than 200 bytes. */
const MAX_SECRET_BYTES = 199;
const FEED_PATH = /^\/v1\/feeds\/([^/]+)\.(rss|atom|json)$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface HubRequest {
  "hub.mode"?: string;
  "hub.topic"?: string;
  "hub.callback"?: string;
  "hub.secret"?: string;
  "hub.lease_seconds"?: string;
}

/**
 * The WebSub hub of partner feeds (W3C WebSub §5): subscribe and unsubscribe requests are
 * checked here and answered 202; the publisher verifies the intent with the callback and then
 * pushes each new content of the feed. The topic is a partner feed URL carrying its token,
 * which authenticates the request and is the licence the subscription reads under.
 */
export async function websubHubRoutes(app: FastifyInstance, deps: ApiDeps) {
  app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
  app.post<{ Body: HubRequest | undefined }>("/websub/hub", { schema: hubSchema }, async (request, reply) => {
    const body = request.body ?? {};
    const mode = body["hub.mode"];
    if (mode !== "subscribe" && mode !== "unsubscribe") {
      throw invalid("hub.mode must be subscribe or unsubscribe (this hub takes no publish pings)", "hub.mode");
    }
    const callback = callbackUrl(body["hub.callback"]);
    const topic = await topicOf(app, deps, body["hub.topic"]);
    if (!topic.allowPrivate) {
      try {
        assertPublicLiteral(callback);
      } catch {
        throw invalid(`the callback ${callback.host} is not a public address`, "hub.callback", "blocked_address");
      }
    }
    const secret = body["hub.secret"];
    if (secret !== undefined && (secret === "" || Buffer.byteLength(secret) > MAX_SECRET_BYTES)) {
      throw invalid("hub.secret must be 1 to 199 bytes", "hub.secret");
    }
    const intentId = await requestWebSubIntent(deps.db, {
      callback: callback.href,
      topic: topic.url,
      lang: topic.lang,
      format: topic.format,
      sourceFilter: topic.source ?? null,
      category: topic.category ?? null,
      itemLimit: topic.limit,
      tokenId: topic.tokenId,
      mode,
      secret: secret ?? null,
      leaseSeconds: leaseOf(body["hub.lease_seconds"]),
    });
    await deps.queues.enqueueDeliver({ deliveryId: intentId, websub: "verify" });
    return reply.status(202).type("text/plain; charset=utf-8").send("Accepted: the callback will be asked to confirm.");
  });
}

function invalid(
  message: string,
  field: string,
  code: "invalid_request" | "blocked_address" = "invalid_request",
): ApiError {
  return new ApiError(400, code, message, field);
}

function callbackUrl(raw: string | undefined): URL {
  let url: URL | undefined;
  try {
    url = raw && raw.length <= 2000 ? new URL(raw) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:") || url.username || url.password) {
    throw invalid(
      "hub.callback must be an http(s) URL of at most 2000 characters, without credentials",
      "hub.callback",
    );
  }
  return url;
}

interface Topic {
  url: string;
  lang: string;
  format: "rss" | "atom" | "json";
  source?: string | undefined;
  category?: string | undefined;
  limit: number;
  tokenId: string;
  allowPrivate: boolean;
}

/**
 * A topic is one of our partner feeds (on PUBLIC_BASE_URL) with `token=` in its query. The
 * token must be live and licensed for the feed's language and source filter, as reading the
 * feed would require: 401 and 403 as the feed would answer.
 */
async function topicOf(app: FastifyInstance, deps: ApiDeps, raw: string | undefined): Promise<Topic> {
  let url: URL | undefined;
  try {
    url = raw ? new URL(raw) : undefined;
  } catch {
    url = undefined;
  }
  const base = new URL(deps.config.PUBLIC_BASE_URL);
  const match = url && url.origin === base.origin ? FEED_PATH.exec(url.pathname) : null;
  const lang = match?.[1] ? normalizeLanguageTag(decodeURIComponent(match[1])) : undefined;
  if (!url || !match || !lang) {
    throw invalid(
      `hub.topic must be a partner feed of this hub: ${base.origin}/v1/feeds/{lang}.{rss|atom|json}`,
      "hub.topic",
    );
  }
  const query = url.searchParams;
  const token = query.get("token");
  if (!token) throw invalid("hub.topic must carry the partner's token as ?token=", "hub.topic");
  const holder = await app.tokenCache.lookup(token);
  if (!holder || (holder.row.role === "partner" && holder.row.partner_id && !holder.partner)) {
    throw new ApiError(401, "unauthorized", "The topic's token is unknown, revoked or expired.", "hub.topic");
  }
  const source = query.get("source") ?? undefined;
  if (source !== undefined && !UUID.test(source)) throw invalid("the topic's source must be a source id", "hub.topic");
  const limit = Number(query.get("limit") ?? 50);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100)
    throw invalid("the topic's limit must be 1 to 100", "hub.topic");
  const { row, partner } = holder;
  const licence =
    row.role !== "partner" ? null : { languages: partner?.languages ?? [], sources: partner?.sources ?? [] };
  readScope(licence, lang, source);
  return {
    url: url.href,
    lang,
    format: match[2] as Topic["format"],
    source,
    category: query.get("category") || undefined,
    limit,
    tokenId: row.id,
    allowPrivate: partner?.allow_private_webhook === true,
  };
}

/** The lease asked for, within bounds; WebSub's default of 10 days when none is asked. */
function leaseOf(raw: string | undefined): number {
  if (raw === undefined || raw === "") return DEFAULT_LEASE_SECONDS;
  const asked = Number(raw);
  if (!Number.isInteger(asked) || asked < 1)
    throw invalid("hub.lease_seconds must be a positive integer", "hub.lease_seconds");
  return Math.min(MAX_LEASE_SECONDS, Math.max(MIN_LEASE_SECONDS, asked));
}

const field = (description: string) => ({ type: "string", description });

const hubSchema = {
  tags: ["partners"],
  summary: "WebSub hub: subscribe to a partner feed to have its new content pushed",
  description:
    "A W3C WebSub hub (form-encoded, as WebSub §5.1 says). `hub.topic` is a partner feed URL with `?token=` (the `rel=\"self\"` a feed's `Link` header gives); the subscription reads with exactly that token's licence, and ends when the token is revoked or its partner removed. Answers 202, then verifies intent asynchronously: a GET to `hub.callback` with `hub.mode`, `hub.topic`, `hub.challenge` and `hub.lease_seconds`, which must answer 2xx with the challenge as its body. Leases default to 10 days, at most 30. On every publication, correction or withdrawal in the feed, the feed's new content is POSTed to the callback with its Content-Type, `Link` headers and, when `hub.secret` was given, `X-Hub-Signature: sha256=<hex HMAC of the body>`; retried with backoff like webhooks; a 410 answer ends the subscription. Callbacks on private addresses are refused (400 `blocked_address`) unless the partner may have private webhooks.",
  consumes: ["application/x-www-form-urlencoded"],
  body: {
    type: "object",
    properties: {
      "hub.mode": field("subscribe or unsubscribe"),
      "hub.topic": field("A partner feed URL with ?token="),
      "hub.callback": field("Where content is pushed, http(s)"),
      "hub.secret": field("Optional, under 200 bytes: signs each push"),
      "hub.lease_seconds": field("Optional; default 864000 (10 days), at most 2592000"),
    },
    required: ["hub.mode", "hub.topic", "hub.callback"],
  },
  response: {
    202: { description: "Accepted; verification of intent follows", type: "string" },
    ...errors(400, 401, 403),
  },
};
