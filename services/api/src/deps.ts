import type { Config } from "@babelwire/config";
import type { Db } from "@babelwire/db";
import type { Metrics } from "@babelwire/metrics";
import type { Queues } from "@babelwire/queue";
import type { Activity, Logger } from "@babelwire/runtime";
import type { Redis } from "ioredis";

/** What the API's routes are given by the composition root. */
export interface ApiDeps {
  config: Config;
  db: Db;
  redis: Redis;
  queues: Queues;
  logger: Logger;
  metrics: Metrics;
  /** Where each response is counted for the minute's summary line; absent in tests that build deps by hand. */
  activity?: Activity;
}
