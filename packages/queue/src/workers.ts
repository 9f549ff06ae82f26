import { CodedError, errorCode, errorMessage, type JobOutcome } from "@babelwire/core";
import { type Job, UnrecoverableError, Worker } from "bullmq";
import {
  backoffCapMs,
  CAPPED_BACKOFF,
  cappedRetryDelayMs,
  JOB_CATALOG,
  type JobPayload,
  QUEUE_NAMES,
  type QueueName,
} from "./catalog.ts";
import type { RedisClient } from "./connection.ts";
import { reportEvery } from "./connection.ts";
import { jobFailure } from "./failed-jobs.ts";
import { startHeartbeats } from "./heartbeat.ts";

export interface JobInfo {
  id: string;
  /** 1 for the first try. */
  attempt: number;
  maxAttempts: number;
}
export type JobHandler<Q extends QueueName> = (payload: JobPayload<Q>, job: JobInfo) => Promise<unknown>;
export type JobHandlers = { [Q in QueueName]?: JobHandler<Q> };

export interface WorkerLogger {
  debug(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export interface WorkerOptions {
  connection: RedisClient;
  prefix: string;
  logger: WorkerLogger;
  concurrency?: Partial<Record<QueueName, number>>;
  /**
   * The first retry's wait, per queue with a capped backoff, instead of the catalog's: lets a
   * test see a job retried in milliseconds by the real BullMQ schedule, without faking time.
   */
  backoffMs?: Partial<Record<QueueName, number>>;
  /** Told of every attempt's end, for metrics: how it ended and how long it took. */
  onJobDone?: (queue: QueueName, outcome: JobOutcome, seconds: number) => void;
}

export interface Workers {
  close(): Promise<void>;
}

/** The code a start fails with when a queue it must work on has no handler. */
export const QUEUE_WITHOUT_HANDLER = "QUEUE_WITHOUT_HANDLER";

/**
 * Refuses to start workers that leave one of `queues` (every queue of the catalog unless given)
 * without a handler: jobs put there would wait forever, and nothing would say why. A process
 * that runs the whole pipeline checks every queue; a new queue added to the catalog without a
 * handler fails its start instead of its first job.
 */
export function assertEveryQueueHandled(handlers: JobHandlers, queues: readonly QueueName[] = QUEUE_NAMES): void {
  const missing = queues.filter((queue) => handlers[queue] === undefined);
  if (missing.length === 0) return;
  throw new CodedError(
    QUEUE_WITHOUT_HANDLER,
    `No handler for the queue${missing.length > 1 ? "s" : ""} ${missing.join(", ")}: its jobs would wait forever.`,
    { permanent: true },
  );
}

/**
 * Starts one BullMQ worker per handler. A payload that does not match the catalog, or a
 * CodedError marked permanent, fails the job for good; anything else is retried with backoff.
 * Errors are never swallowed: they reach BullMQ and the job's record.
 */
export function startWorkers(handlers: JobHandlers, options: WorkerOptions): Workers {
  const workers = Object.entries(handlers).map(([name, handler]) => {
    const queue = name as QueueName;
    const entry = JOB_CATALOG[queue];
    return new Worker(queue, (job: Job) => runJob(queue, handler as JobHandler<typeof queue>, job, options), {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency?.[queue] ?? entry.concurrency,
      // Long Apertium calls must not look stalled; a killed worker's jobs come back after this.
      lockDuration: 60_000,
      settings: {
        backoffStrategy: (attemptsMade: number, type?: string) => retryDelay(queue, attemptsMade, type, options),
      },
    });
  });
  // A worker's errors (Redis gone, a script refused) are logged, one line a worker every 10 s at
  // most while they repeat: a reconnect loop would otherwise write one per try.
  for (const worker of workers) {
    worker.on(
      "error",
      reportEvery((error, repeats) =>
        options.logger.error({ queue: worker.name, err: errorMessage(error), repeats }, "worker error"),
      ),
    );
  }
  const heartbeats = startHeartbeats(
    options.connection,
    options.prefix,
    Object.keys(handlers) as QueueName[],
    (error) => options.logger.error({ err: errorMessage(error) }, "worker heartbeat failed"),
  );
  return {
    async close() {
      await Promise.all(workers.map((worker) => worker.close()));
      await heartbeats.stop();
    },
  };
}

/** BullMQ asks the worker for the wait of backoff types it does not know: the catalog's capped one. */
function retryDelay(queue: QueueName, attemptsMade: number, type: string | undefined, options: WorkerOptions): number {
  const cap = backoffCapMs(queue);
  if (type !== CAPPED_BACKOFF || cap === undefined) return 0;
  return cappedRetryDelayMs(options.backoffMs?.[queue] ?? JOB_CATALOG[queue].backoffMs, cap, attemptsMade);
}

/** One attempt of one job: validate the payload, run the handler, log and time the outcome. */
async function runJob<Q extends QueueName>(queue: Q, handler: JobHandler<Q>, job: Job, options: WorkerOptions) {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  const parsed = JOB_CATALOG[queue].payload.safeParse(job.data);
  if (!parsed.success) {
    options.onJobDone?.(queue, "failed", seconds());
    throw new UnrecoverableError(`JOB_PAYLOAD_INVALID: ${parsed.error.message}`);
  }
  const attempt = job.attemptsMade + 1;
  const maxAttempts = job.opts.attempts ?? 1;
  const ids = { queue, jobId: job.id, ...(parsed.data as Record<string, unknown>) };
  // Per job at debug: poll ticks alone make one a minute per source; the runtime sums them up at info.
  options.logger.debug({ ...ids, attempt }, "job started");
  try {
    const result = await handler(parsed.data as JobPayload<Q>, { id: job.id ?? "", attempt, maxAttempts });
    options.logger.debug({ ...ids, ms: Math.round(seconds() * 1000) }, "job finished");
    options.onJobDone?.(queue, "completed", seconds());
    return result;
  } catch (error) {
    options.logger.error(
      { ...ids, ms: Math.round(seconds() * 1000), code: errorCode(error), err: errorMessage(error) },
      "job failed",
    );
    const failure = jobFailure(error);
    const final = failure instanceof UnrecoverableError || attempt >= maxAttempts;
    options.onJobDone?.(queue, final ? "failed" : "retrying", seconds());
    throw failure;
  }
}
