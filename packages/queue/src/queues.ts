import { jobId } from "@babelwire/core";
import { type JobsOptions, Queue } from "bullmq";
import { backoffCapMs, CAPPED_BACKOFF, JOB_CATALOG, type JobPayload, QUEUE_NAMES, type QueueName } from "./catalog.ts";
import { type RedisClient, reportEvery } from "./connection.ts";
import { type FailedJob, failedJobView, removeFailedJobs, retryFailedJobs } from "./failed-jobs.ts";
import { type QueueCounts, readQueueStatus } from "./queue-status.ts";

export interface Queues {
  prefix: string;
  enqueuePoll(payload: JobPayload<"poll">): Promise<void>;
  enqueueExtract(payload: JobPayload<"extract">): Promise<void>;
  enqueueTranslate(payload: JobPayload<"translate">): Promise<void>;
  enqueueSummarize(payload: JobPayload<"summarize">): Promise<void>;
  enqueuePublish(payload: JobPayload<"publish">): Promise<void>;
  /** One webhook delivery; its job id derives from the delivery id, so a second enqueue is a no-op. */
  enqueueDeliver(payload: JobPayload<"deliver">): Promise<void>;
  /**
   * Gives a source its poll tick (every minute; calling it again changes nothing). The poll
   * itself decides whether the source is due, so intervals can adapt without rescheduling.
   */
  schedulePoll(sourceId: string): Promise<void>;
  unschedulePoll(sourceId: string): Promise<void>;
  /** Every queue's depths, throughput, backlog age, pause state and live workers. */
  counts(): Promise<QueueCounts[]>;
  status(name: QueueName): Promise<QueueCounts>;
  /** Moves all failed jobs of a queue back to waiting with fresh attempts; returns how many. */
  retryFailed(name: QueueName): Promise<number>;
  /** Stops every worker, in every process, from taking new jobs of this queue (running ones finish). */
  pause(name: QueueName): Promise<void>;
  resume(name: QueueName): Promise<void>;
  /** Removes the failed jobs whose payload `belongs` picks (a deleted source's); returns how many. */
  removeFailed(name: QueueName, belongs: (data: Record<string, unknown>) => boolean): Promise<number>;
  /** The most recently failed jobs of a queue, newest first. */
  listFailed(name: QueueName, limit: number): Promise<FailedJob[]>;
  /**
   * The BullMQ queues themselves, for the Bull Board dashboard alone: it drives them through
   * its own adapter. Everything else goes through the methods above.
   */
  dashboardQueues(): Queue[];
  close(): Promise<void>;
}

const POLL_TICK_MS = 60_000;

function jobOptions(name: QueueName, id: string | undefined): JobsOptions {
  const entry = JOB_CATALOG[name];
  return {
    ...(id !== undefined && { jobId: id }),
    attempts: entry.attempts,
    ...(entry.backoffMs > 0 && {
      backoff: { type: backoffCapMs(name) === undefined ? "exponential" : CAPPED_BACKOFF, delay: entry.backoffMs },
    }),
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
export function createQueues(
  connection: RedisClient,
  prefix: string,
  /** Told of the queues' errors (a lost connection, a failed script), at most one a queue every 10 s. */
  onError: (error: unknown, repeats: number) => void = () => {},
): Queues {
  const queues = Object.fromEntries(
    QUEUE_NAMES.map((name) => [name, new Queue(name, { connection, prefix })]),
  ) as Record<QueueName, Queue>;
  // While Redis is away every reconnect fails; without a listener BullMQ prints each as a raw
  // stack. One line per queue every 10 s says it instead (and /readyz names Redis).
  for (const queue of Object.values(queues)) queue.on("error", reportEvery(onError));
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
      add(
        "translate",
        payload,
        jobId(
          "translate",
          payload.articleId,
          payload.articleVersion,
          payload.lang,
          ...(payload.retranslation ? [`r${payload.retranslation}`] : []),
        ),
      ),
    enqueueSummarize: (payload) =>
      add("summarize", payload, jobId("summarize", payload.articleId, payload.articleVersion)),
    enqueuePublish: (payload) => add("publish", payload, undefined),
    enqueueDeliver: (payload) => add("deliver", payload, jobId("deliver", payload.deliveryId)),
    async schedulePoll(sourceId) {
      await queues.poll.upsertJobScheduler(
        jobId("poll", sourceId),
        { every: POLL_TICK_MS },
        {
          name: "poll",
          data: { sourceId },
          // Ticks are kept an hour (not just the last 100) so the poll queue's jobs per minute,
          // counted from the completed set, holds with hundreds of sources.
          opts: { attempts: 1, removeOnComplete: { age: 3600, count: 5000 }, removeOnFail: 100 },
        },
      );
    },
    async unschedulePoll(sourceId) {
      await queues.poll.removeJobScheduler(jobId("poll", sourceId));
    },
    counts: () => Promise.all(QUEUE_NAMES.map((name) => readQueueStatus(connection, prefix, name, queues[name]))),
    status: (name) => readQueueStatus(connection, prefix, name, queues[name]),
    retryFailed: (name) => retryFailedJobs(queues[name]),
    removeFailed: (name, belongs) => removeFailedJobs(queues[name], belongs),
    pause: (name) => queues[name].pause(),
    resume: (name) => queues[name].resume(),
    async listFailed(name, limit) {
      const jobs = await queues[name].getFailed(0, Math.max(1, limit) - 1);
      return jobs.map(failedJobView);
    },
    dashboardQueues: () => QUEUE_NAMES.map((name) => queues[name]),
    async close() {
      await Promise.all(Object.values(queues).map((queue) => queue.close()));
    },
  };
}
