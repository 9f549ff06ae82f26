import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { constants } from "node:zlib";
import { errorMessage } from "@babelwire/core";
import { connectRequestRedis, redisTarget, whenReady } from "@babelwire/queue";
import compress from "@fastify/compress";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from "fastify";
import { limitConnections, serverOptions } from "./connection-limits.ts";
import { countingStrings } from "./decimal-string.ts";
import type { ApiDeps } from "./deps.ts";
import { auditPlugin } from "./plugins/audit.ts";
import { authPlugin } from "./plugins/auth.ts";
import { docsPlugin } from "./plugins/docs.ts";
import { answerFrameworkError, errorsPlugin } from "./plugins/errors.ts";
import { feedCachePlugin } from "./plugins/feed-cache.ts";
import { httpMetricsPlugin } from "./plugins/http-metrics.ts";
import { inputTextPlugin } from "./plugins/input-text.ts";
import { rateLimitPlugin } from "./plugins/rate-limit.ts";
import { deskRoutes } from "./routes/desk/desk.ts";
import { glossaryRoutes, memoryExportRoutes } from "./routes/editors/glossary.ts";
import { reviewRoutes } from "./routes/editors/review.ts";
import { translationRoutes } from "./routes/editors/translations.ts";
import { withdrawalRoutes } from "./routes/editors/withdrawals.ts";
import { websubCallbackRoutes } from "./routes/hubs/websub-callback.ts";
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
import { websubSubscriptionRoutes } from "./routes/operators/websub-subscriptions.ts";
import { articleRoutes } from "./routes/partners/articles.ts";
import { feedRoutes } from "./routes/partners/feeds.ts";
import { createFastFeedPath, type FastFeedPath } from "./routes/partners/feeds-fast-path.ts";
import { websubHubRoutes } from "./routes/partners/websub-hub.ts";
import { createSessionStore } from "./sessions/browser-session.ts";

export type ApiApp = FastifyInstance;

/** Request bodies are small JSON documents; anything bigger is refused with 413. */
const BODY_LIMIT = 1024 * 1024;

/**
 * Request ids unique across processes without a random UUID per request (which showed in the
 * cached feed's CPU profile): a random tag per app, then a counter.
 */
function requestIds(): (given: string | string[] | undefined) => string {
  const next = countingStrings(`${randomBytes(6).toString("hex")}-`);
  // A reader's own id is kept when it is safe to log and echo.
  return (given) => (typeof given === "string" && /^[\w.-]{1,100}$/.test(given) ? given : next());
}

/** The Fastify application with every route; `main.ts` only listens. Tested with `app.inject`. */
export async function buildApp(
  given: Omit<ApiDeps, "requestRedis"> & Partial<Pick<ApiDeps, "requestRedis">>,
): Promise<FastifyInstance> {
  const requestRedis =
    given.requestRedis ??
    connectRequestRedis(redisTarget(given.config), {
      onError: (error, repeats) =>
        given.logger.warn({ err: errorMessage(error), repeats }, "redis connection error (request paths)"),
    });
  // It refuses commands until connected: the first requests would all miss the cache and go
  // uncounted. A Redis that is down does not hold the start up for more than a few seconds.
  if (!given.requestRedis) await whenReady(requestRedis, 5000);
  const deps: ApiDeps = { ...given, requestRedis };
  const requestId = requestIds();
  // Set once every route is registered: cached feeds answered from memory before Fastify.
  let fastFeeds: FastFeedPath | undefined;
  const { http, ...limits } = serverOptions(deps.config);
  const app = Fastify({
    // pino's Logger is what Fastify wants; only its generic type parameters differ.
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT,
    ...limits,
    genReqId: (request) => requestId(request.headers["x-request-id"]),
    serverFactory: (handler) => {
      const server = createServer(http, (request, response) => {
        if (!fastFeeds?.(request, response)) handler(request, response);
      });
      // Fastify sets these on a server it makes, not on one from a factory.
      server.keepAliveTimeout = limits.keepAliveTimeout;
      server.requestTimeout = limits.requestTimeout;
      server.maxRequestsPerSocket = limits.maxRequestsPerSocket;
      return server;
    },
    // Fastify's two info lines per request would be all an idle system logs; see the onResponse hook.
    logController: new LogController({ disableRequestLogging: true }),
    // verbose: an error carries its schema, whose description says what the field accepts.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: "array", allErrors: false, verbose: true } },
    // What the router refuses before any route runs still leaves in the API's error shape.
    frameworkErrors: answerFrameworkError,
    // Only these proxies may say the request came over https (X-Forwarded-Proto) or from whom.
    ...((deps.config.TRUST_PROXY === true || deps.config.TRUST_PROXY.length > 0) && {
      trustProxy: deps.config.TRUST_PROXY,
    }),
  });
  limitConnections(app.server, deps.config);
  // The connection opened here is closed with the app; one given by the caller is the caller's.
  if (!given.requestRedis) app.addHook("onClose", async () => requestRedis.disconnect());
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
  // Responses of 1 KB and more in br or gzip when the reader asks. Brotli's default quality (11)
  // costs tens of milliseconds per response; 4 compresses JSON almost as well for a fraction.
  // Feeds opt out: they are compressed once per rendering (sendCachedFeed).
  await app.register(compress, {
    encodings: ["br", "gzip"],
    brotliOptions: { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } },
    globalDecompression: false,
  });
  await app.register(httpMetricsPlugin, { metrics: deps.metrics });
  await app.register(docsPlugin, { publicBaseUrl: deps.config.PUBLIC_BASE_URL });
  await app.register(authPlugin, { db: deps.db, sessions: createSessionStore(deps.redis, deps.queues.prefix) });
  await app.register(rateLimitPlugin, {
    redis: deps.requestRedis,
    prefix: deps.config.QUEUE_PREFIX,
    ...deps.config.PARTNER_RATE_LIMIT,
    onError: (error) => deps.logger.warn({ err: error }, "rate limit unavailable; request not counted"),
  });
  await app.register(auditPlugin, { db: deps.db, retentionDays: deps.config.AUDIT_RETENTION_DAYS });
  await app.register(inputTextPlugin);
  await app.register(feedCachePlugin, {
    redis: deps.requestRedis,
    subscribeWith: deps.redis,
    prefix: deps.config.QUEUE_PREFIX,
    onError: (error, what) =>
      what === "subscription"
        ? deps.logger.warn({ err: error }, "feed generations not subscribed; reading them per request")
        : deps.logger.warn({ err: error }, "feed cache unavailable; serving uncached"),
  });
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
    websubHubRoutes,
    websubSubscriptionRoutes,
    websubCallbackRoutes,
    deskRoutes,
  ]) {
    await app.register(async (scope) => routes(scope, deps));
  }
  fastFeeds = createFastFeedPath({
    tokens: app.tokenCache,
    rateLimit: app.partnerRateLimit,
    cache: app.feedCache,
    metrics: deps.metrics,
    logger: deps.logger,
    requestId,
    publicBaseUrl: deps.config.PUBLIC_BASE_URL,
  });
  return app;
}
