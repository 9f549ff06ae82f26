import { jobId } from "@babelwire/core";
import { type JobsOptions, Queue } from "bullmq";
import type { Redis } from "ioredis";
import { JOB_CATALOG, type JobPayload, QUEUE_NAMES, type QueueName } from "./catalog.ts";

export interface QueueCounts {
  name: QueueName;
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  completed: number;
  paused: boolean;
}

export interface Queues {
  prefix: string;
  enqueuePoll(payload: JobPayload<"poll">): Promise<void>;
  enqueueExtract(payload: JobPayload<"extract">): Promise<void>;
  enqueueTranslate(payload: JobPayload<"translate">): Promise<void>;
  enqueueSummarize(payload: JobPayload<"summarize">): Promise<void>;
  enqueuePublish(payload: JobPayload<"publish">): Promise<void>;
  /**
   * Gives a source its poll tick (every minute; calling it again changes nothing). The poll
   * itself decides whether the source is due, so intervals can adapt without rescheduling.
   */
  schedulePoll(sourceId: string): Promise<void>;
  unschedulePoll(sourceId: string): Promise<void>;
  counts(): Promise<QueueCounts[]>;
  close(): Promise<void>;
}

const POLL_TICK_MS = 60_000;

function jobOptions(name: QueueName, id: string | undefined): JobsOptions {
  const entry = JOB_CATALOG[name];
  return {
    ...(id !== undefined && { jobId: id }),
    attempts: entry.attempts,
    ...(entry.backoffMs > 0 && { backoff: { type: "exponential", delay: entry.backoffMs } }),
    // Completed ids are kept for a day so a duplicate enqueue of finished work stays a no-op;
    // the database is the real guard (every processor is idempotent).
    removeOnComplete: { age: 24 * 3600, count: 10_000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  };
}

/**
 * Every BullMQ producer call lives here, with job ids derived from the work they name
 * (`translate.<article>.<version>.<lang>`), so enqueueing the same work twice is a no-op.
 */
export function createQueues(connection: Redis, prefix: string): Queues {
  const queues = Object.fromEntries(
    QUEUE_NAMES.map((name) => [name, new Queue(name, { connection, prefix })]),
  ) as Record<QueueName, Queue>;
  const add = async <Q extends QueueName>(name: Q, payload: JobPayload<Q>, id: string | undefined) => {
    JOB_CATALOG[name].payload.parse(payload);
    await queues[name].add(name, payload, jobOptions(name, id));
  };

  return {
    prefix,
    // Manual polls are not deduplicated by id: an operator asking twice gets two polls.
    enqueuePoll: (payload) => add("poll", payload, undefined),
    enqueueExtract: (payload) => add("extract", payload, jobId("extract", payload.articleId, payload.articleVersion)),
    enqueueTranslate: (payload) =>
      add("translate", payload, jobId("translate", payload.articleId, payload.articleVersion, payload.lang)),
    enqueueSummarize: (payload) =>
      add("summarize", payload, jobId("summarize", payload.articleId, payload.articleVersion)),
    enqueuePublish: (payload) => add("publish", payload, undefined),
    async schedulePoll(sourceId) {
      await queues.poll.upsertJobScheduler(
        jobId("poll", sourceId),
        { every: POLL_TICK_MS },
        { name: "poll", data: { sourceId }, opts: { attempts: 1, removeOnComplete: 100, removeOnFail: 100 } },
      );
    },
    async unschedulePoll(sourceId) {
      await queues.poll.removeJobScheduler(jobId("poll", sourceId));
    },
    async counts() {
      return Promise.all(
        QUEUE_NAMES.map(async (name) => {
          const queue = queues[name];
          const [c, paused] = await Promise.all([
            queue.getJobCounts("waiting", "active", "delayed", "failed", "completed"),
            queue.isPaused(),
          ]);
          return {
            name,
            waiting: c.waiting ?? 0,
            active: c.active ?? 0,
            delayed: c.delayed ?? 0,
            failed: c.failed ?? 0,
            completed: c.completed ?? 0,
            paused,
          };
        }),
      );
    },
    async close() {
      await Promise.all(Object.values(queues).map((queue) => queue.close()));
    },
  };
}
