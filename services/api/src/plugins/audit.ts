import { type Db, pruneAudit, recordAudit } from "@babelwire/db";
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { actorOf } from "./auth.ts";

const READS = new Set(["GET", "HEAD", "OPTIONS"]);
const PRUNE_EVERY_MS = 3_600_000;
const SAMPLE_EVERY_MS = 60_000;

/**
 * Writes refused for want of a valid token, logged at most a line a minute with how many there
 * were since the last line, so a flood costs the log what it costs the database: almost nothing.
 */
function sampledRefusals(app: FastifyInstance) {
  let since = 0;
  let count = 0;
  return (method: string, route: string) => {
    count++;
    const now = Date.now();
    if (now - since < SAMPLE_EVERY_MS) return;
    app.log.warn({ refused: count, method, route }, "writes refused without a valid token (not audited one by one)");
    since = now;
    count = 0;
  };
}

/**
 * Every write through the API is recorded after it is answered: who (the token's id and
 * role, or `anonymous`), what (method, route pattern and the id it named) and how it ended.
 * Refused attempts are recorded too: they are what an auditor looks for. Bodies are not
 * kept: they may carry secrets, and the translation history already holds the edits.
 */
export const auditPlugin = fp(
  async (app: FastifyInstance, options: { db: Db; retentionDays: number }) => {
    const unauthenticated = sampledRefusals(app);
    app.addHook("onResponse", async (request, reply) => {
      if (READS.has(request.method) || !request.routeOptions.url) return;
      // Anyone can send requests without a token: one row each would let them fill the table.
      // They are counted by the HTTP metrics (status 401) and logged a line a minute instead.
      if (!request.principal && reply.statusCode === 401)
        return unauthenticated(request.method, request.routeOptions.url);
      const params = request.params as { id?: unknown; name?: unknown } | undefined;
      const target = params?.id ?? params?.name;
      try {
        await recordAudit(options.db, {
          actor: actorOf(request),
          role: request.principal?.role ?? null,
          method: request.method,
          route: request.routeOptions.url,
          target: typeof target === "string" ? target.slice(0, 200) : null,
          status: reply.statusCode,
          request_id: request.id,
        });
      } catch (error) {
        request.log.error({ err: error }, "audit: could not record a write");
      }
    });
    // Every API process prunes; deleting what another process deleted already is a no-op.
    const prune = () =>
      pruneAudit(options.db, options.retentionDays).catch((error: unknown) =>
        app.log.warn({ err: error }, "audit: could not delete old entries"),
      );
    const pruning = setInterval(prune, PRUNE_EVERY_MS).unref();
    app.addHook("onReady", async () => void prune());
    app.addHook("onClose", async () => clearInterval(pruning));
  },
  { name: "babelwire-audit", dependencies: ["babelwire-auth"] },
);
