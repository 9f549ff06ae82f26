import type { Config } from "@babelwire/config";
import type { Db } from "@babelwire/db";
import type { Metrics } from "@babelwire/metrics";
import type { Queues, RedisClient } from "@babelwire/queue";
import type { Activity, Logger } from "@babelwire/runtime";

/** What the API's routes are given by the composition root. */
export interface ApiDeps {
  config: Config;
  db: Db;
  /** The runtime's connection: waits for Redis through an outage (queues, dashboard sessions). */
  redis: RedisClient;
  /**
   * The request paths' own connection (connectRequestRedis): the feed cache and the rate limit,
   * which go on without Redis rather than wait for it. buildApp opens it when not given.
   */
  requestRedis: RedisClient;
  queues: Queues;
  logger: Logger;
  metrics: Metrics;
  /** Where each response is counted for the minute's summary line; absent in tests that build deps by hand. */
  activity?: Activity;
}
