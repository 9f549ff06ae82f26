import type { Logger } from "pino";

/** Counts of one minute: requests by status class, jobs by queue and outcome. */
interface Counts {
  requests: Record<string, number>;
  jobs: Record<string, Record<string, number>>;
}

export interface Activity {
  /** One HTTP response, by its status. */
  request(status: number): void;
  /** One job attempt's end, by queue and outcome (completed, failed, retrying). */
  job(queue: string, outcome: string): void;
  /** Logs what was counted since the last line, if anything, and starts counting afresh. */
  flush(): void;
  stop(): void;
}

const MINUTE_MS = 60_000;

/**
 * One info line a minute saying what the process did (requests by status class, jobs by queue
 * and outcome), instead of a line per request or poll tick: an idle system stays quiet, a busy
 * one stays readable. The lines per request and per job are still there at `debug`.
 */
export function createActivity(logger: Logger, intervalMs = MINUTE_MS): Activity {
  let counts: Counts = { requests: {}, jobs: {} };
  let empty = true;
  const flush = () => {
    if (empty) return;
    const { requests, jobs } = counts;
    counts = { requests: {}, jobs: {} };
    empty = true;
    const total = Object.values(requests).reduce((sum, n) => sum + n, 0);
    logger.info({ requests: total > 0 ? { total, ...requests } : undefined, jobs }, "activity in the last minute");
  };
  const timer = setInterval(flush, intervalMs);
  // The summary never keeps a process alive that has nothing else to do.
  timer.unref();
  return {
    request(status) {
      const key = `${Math.floor(status / 100)}xx`;
      counts.requests[key] = (counts.requests[key] ?? 0) + 1;
      empty = false;
    },
    job(queue, outcome) {
      const byOutcome = counts.jobs[queue] ?? {};
      byOutcome[outcome] = (byOutcome[outcome] ?? 0) + 1;
      counts.jobs[queue] = byOutcome;
      empty = false;
    },
    flush,
    stop() {
      clearInterval(timer);
      flush();
    },
  };
}
