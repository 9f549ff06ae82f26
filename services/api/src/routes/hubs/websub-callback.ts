import { createHmac, timingSafeEqual } from "node:crypto";
import {
  findSourcePushByCallback,
  recordPushDropped,
  recordPushError,
  recordPushReceived,
  recordPushVerified,
} from "@babelwire/db";
import type { FastifyInstance } from "fastify";
import type { ApiDeps } from "../../deps.ts";

/** As large as a feed a poll may read: a hub pushes the whole feed. */
const MAX_PUSH_BYTES = 15 * 1024 * 1024;
/** WebSub §8: the signature methods a hub may use; sha1 too, for Google's hub and Superfeedr. */
const SIGNATURE_METHODS = new Set(["sha1", "sha256", "sha384", "sha512"]);
const DEFAULT_LEASE_SECONDS = 10 * 24 * 3600;

interface Verification {
  "hub.mode"?: string;
  "hub.topic"?: string;
  "hub.challenge"?: string;
  "hub.lease_seconds"?: string;
  "hub.reason"?: string;
}

/**
 * Where the hubs of our sources' feeds call back (WebSub §5.3 and §7). The path's id is the
 * only credential: unguessable, one per source. Unknown ids are 404 to a verification and 410
 * to a push, which tells a hub to drop the subscription.
 */
export async function websubCallbackRoutes(app: FastifyInstance, deps: ApiDeps) {
  // The signature covers the exact bytes, whatever their type: kept raw.
  app.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: MAX_PUSH_BYTES }, (_request, body, done) =>
    done(null, body),
  );
  app.get<{ Params: { id: string }; Querystring: Verification }>(
    "/websub/callback/:id",
    { schema: { hide: true } },
    async (request, reply) => {
      const push = await findSourcePushByCallback(deps.db, request.params.id);
      const query = request.query;
      if (!push) return reply.status(404).send();
      if (query["hub.mode"] === "denied") {
        const reason = String(query["hub.reason"] ?? "the hub gave no reason").slice(0, 500);
        await recordPushError(deps.db, push.source_id, `WEBSUB_DENIED: ${reason}`, { denied: true });
        return reply.status(200).send();
      }
      // websub.rocks subscriber 200: a verification for another topic is not ours to confirm.
      if (query["hub.mode"] !== "subscribe" || query["hub.topic"] !== push.topic || !query["hub.challenge"]) {
        return reply.status(404).send();
      }
      const lease = Number(query["hub.lease_seconds"] ?? DEFAULT_LEASE_SECONDS);
      await recordPushVerified(
        deps.db,
        push.source_id,
        Number.isInteger(lease) && lease > 0 ? lease : DEFAULT_LEASE_SECONDS,
      );
      deps.metrics.countWebSub("subscriber", "verified");
      return reply.status(200).type("text/plain; charset=utf-8").send(query["hub.challenge"]);
    },
  );
  app.post<{ Params: { id: string } }>(
    "/websub/callback/:id",
    { schema: { hide: true }, bodyLimit: MAX_PUSH_BYTES },
    async (request, reply) => {
      const push = await findSourcePushByCallback(deps.db, request.params.id);
      if (!push) return reply.status(410).send();
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      if (!signedBy(push.secret, body, request.headers["x-hub-signature"])) {
        // WebSub §7: acknowledged with 2xx, so the hub does not retry a forgery, and dropped.
        await recordPushDropped(deps.db, push.source_id);
        deps.metrics.countWebSub("subscriber", "bad_signature");
        request.log.warn({ sourceId: push.source_id }, "WebSub push with a missing or wrong signature dropped");
        return reply.status(202).send();
      }
      const contentType = request.headers["content-type"] ?? null;
      const link = request.headers.link;
      const pushId = await recordPushReceived(
        deps.db,
        push.source_id,
        body.length > 0
          ? { bytes: body, contentType, link: Array.isArray(link) ? link.join(", ") : (link ?? null) }
          : null,
      );
      // A ping without a body: the feed is read at once, as by a poll.
      await deps.queues.enqueuePoll({ sourceId: push.source_id, force: true, ...(pushId && { pushId }) });
      deps.metrics.countWebSub("subscriber", pushId ? "pushed" : "pinged");
      return reply.status(202).send();
    },
  );
}

/** `X-Hub-Signature: <method>=<hex HMAC of the body>` with one of the methods WebSub allows. */
function signedBy(secret: string, body: Buffer, header: string | string[] | undefined): boolean {
  if (typeof header !== "string") return false;
  const [method, given] = header.trim().split("=", 2);
  if (!method || !given || !SIGNATURE_METHODS.has(method.toLowerCase())) return false;
  const expected = createHmac(method.toLowerCase(), secret).update(body).digest();
  const presented = Buffer.from(given, "hex");
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}
