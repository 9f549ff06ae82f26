import { CodedError, errorCode, errorMessage } from "@babelwire/core";
import type { DeliveryAttempt } from "@babelwire/db";
import type { JobInfo } from "@babelwire/queue";
import { webhookHttpCode } from "./delivery-errors.ts";

/** Where one delivery's attempts are kept: its row, and the counter of outcomes. */
export interface AttemptLog {
  /** Keeps how the attempt ended on the delivery's row, where the operator looks. */
  record(attempt: DeliveryAttempt): Promise<void>;
  /** Counts it; a `failed` one comes with why, its last attempt made. */
  count(outcome: "delivered" | "retrying" | "failed", reason?: string): void;
}

/**
 * One attempt of a delivery on the catalog's retry schedule, webhooks and WebSub alike. `send`
 * gives the receiver's HTTP status: a 2xx is recorded delivered. Anything else, and any error of
 * `send`, is recorded with its code (pending while a retry follows; failed after the last
 * attempt or on a permanent error), counted and thrown, so BullMQ retries it. A status that
 * `leaves` names is returned unrecorded, for the caller to settle (WebSub's 410 Gone).
 */
export async function attemptDelivery(
  job: JobInfo,
  log: AttemptLog,
  send: () => Promise<number>,
  answer: { refused: (status: number) => string; leaves?: (status: number) => boolean },
): Promise<number> {
  let status: number | null = null;
  try {
    status = await send();
    if (answer.leaves?.(status)) return status;
    if (status < 200 || status > 299) throw new CodedError(webhookHttpCode(status), answer.refused(status));
  } catch (error) {
    const final = (error instanceof CodedError && error.permanent) || job.attempt >= job.maxAttempts;
    const reason = `${errorCode(error)}: ${errorMessage(error)}`;
    await log.record({ status, error: reason, outcome: final ? "failed" : "pending" });
    log.count(final ? "failed" : "retrying", reason);
    throw error;
  }
  await log.record({ status, error: null, outcome: "delivered" });
  log.count("delivered");
  return status;
}
