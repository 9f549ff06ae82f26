import { type Db, recordAudit } from "@babelwire/db";
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { actorOf } from "./auth.ts";

const READS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Every write through the API is recorded after it is answered: who (the token's id and
 * role, or `anonymous`), what (method, route pattern and the id it named) and how it ended.
 * Refused attempts are recorded too: they are what an auditor looks for. Bodies are not
 * kept: they may carry secrets, and the translation history already holds the edits.
 */
export const auditPlugin = fp(
  async (app: FastifyInstance, options: { db: Db }) => {
    app.addHook("onResponse", async (request, reply) => {
      if (READS.has(request.method) || !request.routeOptions.url) return;
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
  },
  { name: "babelwire-audit", dependencies: ["babelwire-auth"] },
);
