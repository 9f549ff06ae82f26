export { JOB_CATALOG, type JobPayload, QUEUE_NAMES, type QueueName } from "./catalog.ts";
export { connectRedis } from "./connection.ts";
export { createQueues, type QueueCounts, type Queues } from "./queues.ts";
export {
  type JobHandler,
  type JobHandlers,
  type JobInfo,
  startWorkers,
  type WorkerLogger,
  type WorkerOptions,
  type Workers,
} from "./workers.ts";
