import { checkReadiness } from "@babelwire/runtime";
import type { FastifyInstance } from "fastify";
import type { ApiDeps } from "../../deps.ts";

/** Liveness and readiness, for load balancers and Kubernetes probes. */
export async function healthRoutes(app: FastifyInstance, deps: ApiDeps) {
  app.get("/healthz", { schema: { tags: ["operators"], summary: "The process is alive" } }, async () => ({
    status: "ok",
  }));

  app.get(
    "/readyz",
    {
      schema: {
        tags: ["operators"],
        summary: "Redis and the database answer",
        description: "200 when both answer within 2 seconds; else 503 naming the one that did not.",
      },
    },
    async (_request, reply) => {
      const { ready, checks, message } = await checkReadiness(deps);
      if (ready) return { status: "ready", checks };
      return reply.status(503).send({ error: { code: "not_ready", message }, checks });
    },
  );
}
