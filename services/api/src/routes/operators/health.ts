import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import type { ApiDeps } from "../../deps.ts";

const DEADLINE_MS = 2000;

function withinDeadline<T>(work: Promise<T>, name: string): Promise<T> {
  return Promise.race([
    work,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`${name} did not answer within ${DEADLINE_MS} ms`)), DEADLINE_MS).unref(),
    ),
  ]);
}

/** Liveness and readiness, for load balancers and Kubernetes probes. */
export async function healthRoutes(app: FastifyInstance, deps: ApiDeps) {
  app.get("/healthz", { schema: { tags: ["operators"], summary: "The process is alive" } }, async () => ({
    status: "ok",
  }));

  app.get(
    "/readyz",
    { schema: { tags: ["operators"], summary: "Redis and the database answer" } },
    async (_request, reply) => {
      const checks = await Promise.allSettled([
        withinDeadline(deps.redis.ping(), "redis"),
        withinDeadline(sql`select 1`.execute(deps.db), "database"),
      ]);
      const [redis, database] = checks.map((check) => (check.status === "fulfilled" ? "ok" : "failed"));
      if (redis === "ok" && database === "ok") return { status: "ready", checks: { redis, database } };
      const failing = [redis === "failed" && "redis", database === "failed" && "database"]
        .filter(Boolean)
        .join(" and ");
      return reply.status(503).send({
        error: { code: "not_ready", message: `${failing} did not answer.` },
        checks: { redis, database },
      });
    },
  );
}
