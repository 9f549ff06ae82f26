import { randomUUID } from "node:crypto";
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import type { ApiDeps } from "./deps.ts";
import { auditPlugin } from "./plugins/audit.ts";
import { authPlugin } from "./plugins/auth.ts";
import { docsPlugin } from "./plugins/docs.ts";
import { errorsPlugin } from "./plugins/errors.ts";
import { httpMetricsPlugin } from "./plugins/http-metrics.ts";
import { rateLimitPlugin } from "./plugins/rate-limit.ts";
import { glossaryRoutes, memoryExportRoutes } from "./routes/editors/glossary.ts";
import { reviewRoutes } from "./routes/editors/review.ts";
import { translationRoutes } from "./routes/editors/translations.ts";
import { withdrawalRoutes } from "./routes/editors/withdrawals.ts";
import { auditRoutes } from "./routes/operators/audit.ts";
import { deliveryRoutes } from "./routes/operators/deliveries.ts";
import { engineUsageRoutes } from "./routes/operators/engine-usage.ts";
import { healthRoutes } from "./routes/operators/health.ts";
import { metricsRoutes } from "./routes/operators/metrics.ts";
import { partnerRoutes } from "./routes/operators/partners.ts";
import { queueDashboardRoutes } from "./routes/operators/queue-dashboard.ts";
import { queueRoutes } from "./routes/operators/queues.ts";
import { sourceRoutes } from "./routes/operators/sources.ts";
import { tokenRoutes } from "./routes/operators/tokens.ts";
import { articleRoutes } from "./routes/partners/articles.ts";
import { feedRoutes } from "./routes/partners/feeds.ts";

export type ApiApp = FastifyInstance;

/** Request bodies are small JSON documents; anything bigger is refused with 413. */
const BODY_LIMIT = 1024 * 1024;

/** The Fastify application with every route; `main.ts` only listens. Tested with `app.inject`. */
export async function buildApp(deps: ApiDeps): Promise<FastifyInstance> {
  const app = Fastify({
    // pino's Logger is what Fastify wants; only its generic type parameters differ.
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT,
    // Fastify's two info lines per request would be all an idle system logs; see the onResponse hook.
    disableRequestLogging: true,
    genReqId: (request) => {
      const given = request.headers["x-request-id"];
      return typeof given === "string" && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
    },
    // verbose: an error carries its schema, whose description says what the field accepts.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: "array", allErrors: false, verbose: true } },
  });
  app.addHook("onSend", async (request, reply) => {
    reply.header("x-request-id", request.id);
  });
  // One line per request at debug; at info, the runtime's summary of the minute counts them.
  app.addHook("onResponse", async (request, reply) => {
    request.log.debug(
      { req: request, res: { statusCode: reply.statusCode }, ms: Math.round(reply.elapsedTime) },
      "request completed",
    );
    deps.activity?.request(reply.statusCode);
  });
  await app.register(errorsPlugin);
  await app.register(httpMetricsPlugin, { metrics: deps.metrics });
  await app.register(docsPlugin, { publicBaseUrl: deps.config.PUBLIC_BASE_URL });
  await app.register(authPlugin, { db: deps.db });
  await app.register(rateLimitPlugin, {
    redis: deps.redis,
    prefix: deps.config.QUEUE_PREFIX,
    ...deps.config.PARTNER_RATE_LIMIT,
    onError: (error) => deps.logger.warn({ err: error }, "rate limit unavailable; request not counted"),
  });
  await app.register(auditPlugin, { db: deps.db });
  for (const routes of [
    healthRoutes,
    metricsRoutes,
    feedRoutes,
    articleRoutes,
    translationRoutes,
    reviewRoutes,
    withdrawalRoutes,
    glossaryRoutes,
    memoryExportRoutes,
    sourceRoutes,
    partnerRoutes,
    tokenRoutes,
    queueRoutes,
    queueDashboardRoutes,
    auditRoutes,
    engineUsageRoutes,
    deliveryRoutes,
  ]) {
    await app.register(async (scope) => routes(scope, deps));
  }
  return app;
}
