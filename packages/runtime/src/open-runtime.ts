import type { Config } from "@babelwire/config";
import { errorMessage } from "@babelwire/core";
import { type Db, describeDatabase, embeddedServerAnswers, migrate, openDatabase, serveEmbedded } from "@babelwire/db";
import { createMetrics, type Metrics } from "@babelwire/metrics";
import { connectRedis, createQueues, type Queues, type RedisClient, redisTarget } from "@babelwire/queue";
import { type Activity, createActivity } from "./activity.ts";
import { createLogger, type Logger } from "./logger.ts";

export interface Runtime {
  config: Config;
  logger: Logger;
  db: Db;
  redis: RedisClient;
  queues: Queues;
  /** This process's Prometheus metrics; the API serves them at /metrics. */
  metrics: Metrics;
  /** The one-line-a-minute summary of requests and jobs (their own lines are at debug). */
  activity: Activity;
  close(): Promise<void>;
}

/**
 * What every process needs, built once in its composition root: logger, database (migrated),
 * Redis, the queue producers and the metrics. Migrations are safe to run from many processes at once.
 */
export async function openRuntime(
  config: Config,
  service: string,
  options: { logToStderr?: boolean } = {},
): Promise<Runtime> {
  const logger = createLogger(config.LOG_LEVEL, service, options.logToStderr ? 2 : 1, config.LOG_FORMAT);
  // The first process on an embedded database owns it and serves it on a socket; the others connect to it.
  const owner =
    config.DATABASE_URL === undefined && !(await embeddedServerAnswers(config.DATA_DIR))
      ? await serveEmbedded(config.DATA_DIR)
      : undefined;
  const db = owner?.db ?? (await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR }));
  const applied = await migrate(db);
  logger.info(
    { database: describeDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR }), applied },
    "database ready",
  );
  const redis = connectRedis(redisTarget(config), {
    onError: (error, repeats) => logger.warn({ err: errorMessage(error), repeats }, "redis connection error"),
  });
  const queues = createQueues(redis, config.QUEUE_PREFIX, (error, repeats) =>
    logger.warn({ err: errorMessage(error), repeats }, "queue error"),
  );
  const activity = createActivity(logger);
  return {
    config,
    logger,
    db,
    redis,
    queues,
    metrics: createMetrics(),
    activity,
    async close() {
      activity.stop();
      await queues.close();
      await redis.quit().catch(() => redis.disconnect());
      await owner?.stop();
      await db.destroy();
    },
  };
}
