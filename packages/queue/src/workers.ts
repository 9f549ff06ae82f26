import { CodedError, errorCode, errorMessage } from "@babelwire/core";
import { type Job, UnrecoverableError, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { JOB_CATALOG, type JobPayload, type QueueName } from "./catalog.ts";

export interface JobInfo {
  id: string;
  /** 1 for the first try. */
  attempt: number;
  maxAttempts: number;
}
export type JobHandler<Q extends QueueName> = (payload: JobPayload<Q>, job: JobInfo) => Promise<unknown>;
export type JobHandlers = { [Q in QueueName]?: JobHandler<Q> };

export interface WorkerLogger {
  info(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export interface WorkerOptions {
  connection: Redis;
  prefix: string;
  logger: WorkerLogger;
  concurrency?: Partial<Record<QueueName, number>>;
}

export interface Workers {
  close(): Promise<void>;
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
    return new Worker(
      queue,
      async (job: Job) => {
        const parsed = entry.payload.safeParse(job.data);
        if (!parsed.success) throw new UnrecoverableError(`JOB_PAYLOAD_INVALID: ${parsed.error.message}`);
        const started = Date.now();
        const ids = { queue, jobId: job.id, ...(parsed.data as Record<string, unknown>) };
        options.logger.info({ ...ids, attempt: job.attemptsMade + 1 }, "job started");
        try {
          const result = await (handler as JobHandler<typeof queue>)(parsed.data as never, {
            id: job.id ?? "",
            attempt: job.attemptsMade + 1,
            maxAttempts: job.opts.attempts ?? 1,
          });
          options.logger.info({ ...ids, ms: Date.now() - started }, "job finished");
          return result;
        } catch (error) {
          options.logger.error(
            { ...ids, ms: Date.now() - started, code: errorCode(error), err: errorMessage(error) },
            "job failed",
          );
          if (error instanceof CodedError && error.permanent) {
            throw new UnrecoverableError(`${error.code}: ${error.message}`);
          }
          throw error;
        }
      },
      {
        connection: options.connection,
        prefix: options.prefix,
        concurrency: options.concurrency?.[queue] ?? entry.concurrency,
        // Long Apertium calls must not look stalled; a killed worker's jobs come back after this.
        lockDuration: 60_000,
      },
    );
  });
  for (const worker of workers) worker.on("error", () => {});
  return {
    async close() {
      await Promise.all(workers.map((worker) => worker.close()));
    },
  };
}
