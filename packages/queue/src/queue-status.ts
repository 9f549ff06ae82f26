import type { Queue } from "bullmq";
import type { QueueName } from "./catalog.ts";
import type { RedisClient } from "./connection.ts";
import { listWorkers, type WorkerHeartbeat } from "./heartbeat.ts";

/** One queue as operators see it: depths, throughput, backlog age and who works on it. */
export interface QueueCounts {
  name: QueueName;
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  completed: number;
  paused: boolean;
  /** Jobs completed in the last 60 seconds. */
  jobsPerMinute: number;
  /** Age of the oldest waiting job (since it was enqueued), or 0 when none waits. */
  oldestWaitingSeconds: number;
  workers: WorkerHeartbeat[];
}

const MINUTE_MS = 60_000;

/**
 * Reads one queue's status. Throughput comes from the completed set, which BullMQ scores by
 * finish time, so it is exact for the last minute as long as completed jobs are kept that long
 * (they are: see the retention in queues.ts).
 */
export async function readQueueStatus(
  connection: RedisClient,
  prefix: string,
  name: QueueName,
  queue: Queue,
  now = Date.now(),
): Promise<QueueCounts> {
  const [counts, paused, jobsPerMinute, oldest, workers] = await Promise.all([
    queue.getJobCounts("waiting", "active", "delayed", "failed", "completed"),
    queue.isPaused(),
    // The one read of a BullMQ key by name left: BullMQ has no "completed since" call. Its
    // getMetrics counts by clock minute, only where every worker enables metrics, and goes stale
    // while nothing completes; paging getCompleted would fetch every job of the minute.
    connection.zcount(queue.toKey("completed"), `(${now - MINUTE_MS}`, "+inf"),
    queue.getWaiting(0, 0),
    listWorkers(connection, prefix, name),
  ]);
  const oldestEnqueuedAt = oldest[0]?.timestamp;
  return {
    name,
    waiting: counts.waiting ?? 0,
    active: counts.active ?? 0,
    delayed: counts.delayed ?? 0,
    failed: counts.failed ?? 0,
    completed: counts.completed ?? 0,
    paused,
    jobsPerMinute,
    oldestWaitingSeconds: oldestEnqueuedAt ? Math.max(0, Math.round((now - oldestEnqueuedAt) / 1000)) : 0,
    workers,
  };
}
