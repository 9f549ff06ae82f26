export {
  backoffCapMs,
  cappedRetryDelayMs,
  isQueueName,
  JOB_CATALOG,
  type JobPayload,
  QUEUE_NAMES,
  type QueueName,
  retrySpanMs,
} from "./catalog.ts";
export {
  type ConnectOptions,
  checkRedis,
  connectRedis,
  connectRequestRedis,
  isCluster,
  type RedisClient,
  type RedisTarget,
  redisTarget,
  reportEvery,
  whenReady,
} from "./connection.ts";
export { type FailedJob, failureCode } from "./failed-jobs.ts";
export type { WorkerHeartbeat } from "./heartbeat.ts";
export type { QueueCounts } from "./queue-status.ts";
export { createQueues, type Queues } from "./queues.ts";
export {
  assertEveryQueueHandled,
  type JobHandler,
  type JobHandlers,
  type JobInfo,
  QUEUE_WITHOUT_HANDLER,
  startWorkers,
  type WorkerLogger,
  type WorkerOptions,
  type Workers,
} from "./workers.ts";
