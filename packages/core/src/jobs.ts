/** How a job attempt ended: done, failed with a retry to come, or failed for good. */
export type JobOutcome = "completed" | "retrying" | "failed";
