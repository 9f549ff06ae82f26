import { CodedError } from "@babelwire/core";
import { Job, type Queue, UnrecoverableError } from "bullmq";

/** A job that ran out of attempts (or failed for good), as operators see it. */
export interface FailedJob {
  id: string;
  name: string;
  failedReason: string;
  /** The error code the reason starts with (`FEED_HTTP_500: …`), or null for an uncoded error. */
  code: string | null;
  /** The payload: which article, source or translation the job was about. */
  data: Record<string, unknown>;
  attemptsMade: number;
  /** ISO 8601. */
  finishedOn: string | null;
}

/** `ENGINE_FAILED`, `FEED_HTTP_500`, `not_found`: words joined by underscores, or one upper-case word. */
const CODE_PREFIX = /^([A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+|[A-Z][A-Z0-9]+): /;

/** The error code a failed job's reason starts with, or null. */
export function failureCode(reason: string | undefined): string | null {
  return reason?.match(CODE_PREFIX)?.[1] ?? null;
}

/**
 * What a handler's error becomes on its way to BullMQ: a CodedError's code leads the message,
 * because the message is all BullMQ stores (as the failed reason operators read); a permanent
 * one becomes UnrecoverableError so BullMQ does not retry it. Other errors pass unchanged.
 */
export function jobFailure(error: unknown): unknown {
  if (!(error instanceof CodedError)) return error;
  const reason = `${error.code}: ${error.message}`;
  const failure = error.permanent ? new UnrecoverableError(reason) : new Error(reason, { cause: error });
  // Keep the frames of where it failed, not of this wrapper.
  const frames = error.stack?.split("\n").slice(1).join("\n");
  if (frames) failure.stack = `${failure.name}: ${reason}\n${frames}`;
  return failure;
}

export function failedJobView(job: Job): FailedJob {
  return {
    id: job.id ?? "",
    name: job.name,
    failedReason: job.failedReason ?? "",
    code: failureCode(job.failedReason),
    data: (job.data ?? {}) as Record<string, unknown>,
    attemptsMade: job.attemptsMade,
    finishedOn: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
  };
}

/**
 * Moves every failed job of a queue back to waiting with its attempts reset, so each gets its
 * full retry budget again (the operator retries after fixing the cause). Returns how many moved.
 * The ids are read first, so a job that fails again meanwhile is not retried twice; one that
 * cannot be retried (removed or locked meanwhile) is left where it is.
 */
export async function retryFailedJobs(queue: Queue): Promise<number> {
  const ids = (await queue.getJobs(["failed"], 0, -1)).flatMap((job) => (job.id === undefined ? [] : [job.id]));
  let retried = 0;
  for (const id of ids) {
    const job = await Job.fromId(queue, id);
    const moved = await job?.retry("failed", { resetAttemptsMade: true, resetAttemptsStarted: true }).then(
      () => true,
      () => false,
    );
    if (moved) retried++;
  }
  return retried;
}

/**
 * Removes the failed jobs of a queue whose payload `belongs` picks (those of a deleted source):
 * they can never be retried usefully, and left there they would count as failures forever.
 * Returns how many went.
 */
export async function removeFailedJobs(
  queue: Queue,
  belongs: (data: Record<string, unknown>) => boolean,
): Promise<number> {
  let removed = 0;
  for (const job of await queue.getFailed()) {
    if (!job || !belongs((job.data ?? {}) as Record<string, unknown>)) continue;
    // Retried or removed meanwhile by another process: nothing left to remove.
    const gone = await job.remove().then(
      () => true,
      () => false,
    );
    if (gone) removed++;
  }
  return removed;
}
