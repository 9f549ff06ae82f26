import type { Config } from "@babelwire/config";
import type { Db } from "@babelwire/db";
import type { Metrics } from "@babelwire/metrics";
import type { Queues, RedisClient } from "@babelwire/queue";
import type { Logger } from "@babelwire/runtime";

/** What the API's routes are given by the composition root. */
export interface ApiDeps {
  config: Config;
  db: Db;
  redis: RedisClient;
  queues: Queues;
  logger: Logger;
  metrics: Metrics;
}
