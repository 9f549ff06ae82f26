/** Bounds of the adaptive interval: never hammer a feed, never leave one unread for long. */
export const MIN_INTERVAL_SECONDS = 60;
export const MAX_INTERVAL_SECONDS = 3600;
/** Longest wait between polls of a failing source: it is never abandoned, only slowed. */
const MAX_BACKOFF_SECONDS = 6 * 3600;
/** A busy source is `quiet` once this many of its usual gaps have passed without an item. */
const QUIET_AFTER_GAPS = 4;

export interface PollPlanInput {
  now: Date;
  /** The source's configured interval: used until its items show how often it publishes. */
  configuredSeconds: number;
  consecutiveErrors: number;
  /** Median seconds between the source's items (see medianGapSeconds); null while unknown. */
  medianGapSeconds?: number | null;
  /** When the source's newest item was published. */
  newestItemAt?: Date | null;
  /** From Cache-Control/Expires or the feed's <ttl>: the server asks us not to come back sooner. */
  cacheSeconds?: number | null;
  /** From Retry-After on a 429 or 503. */
  retryAfterSeconds?: number | null;
  random?: () => number;
}

export interface PollPlan {
  nextPollAt: Date;
  intervalSeconds: number;
  medianGapSeconds: number | null;
  quiet: boolean;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? null) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Median seconds between consecutive items, once there are at least three dated items. */
export function medianGapSeconds(itemTimes: Date[]): number | null {
  const times = itemTimes.map((time) => time.getTime()).sort((a, b) => a - b);
  if (times.length < 3) return null;
  const gaps = times.slice(1).map((time, index) => (time - (times[index] ?? time)) / 1000);
  return median(gaps.filter((gap) => gap > 0));
}

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

/**
 * When to poll next and how the source is doing. After a success the interval follows how
 * often the source publishes (half its median gap between items, within 1 min – 1 h), and
 * never comes sooner than the server's cache lifetime; after failures it backs off
 * exponentially with ±20% jitter, honouring Retry-After, capped at six hours.
 */
export function planNextPoll(input: PollPlanInput): PollPlan {
  const gap = input.medianGapSeconds ?? null;
  const adaptive = gap === null ? input.configuredSeconds : gap / 2;
  const intervalSeconds = Math.round(clamp(adaptive, MIN_INTERVAL_SECONDS, MAX_INTERVAL_SECONDS));
  const newest = input.newestItemAt?.getTime();
  const quiet =
    gap !== null &&
    newest !== undefined &&
    gap < MAX_INTERVAL_SECONDS &&
    input.now.getTime() - newest > QUIET_AFTER_GAPS * gap * 1000;
  let waitSeconds: number;
  if (input.consecutiveErrors <= 0) {
    waitSeconds = Math.max(intervalSeconds, Math.min(input.cacheSeconds ?? 0, MAX_INTERVAL_SECONDS));
  } else {
    const backoff = Math.min(intervalSeconds * 2 ** (input.consecutiveErrors - 1), MAX_BACKOFF_SECONDS);
    const jitter = 1 + ((input.random ?? Math.random)() * 0.4 - 0.2);
    waitSeconds = Math.max(backoff * jitter, Math.min(input.retryAfterSeconds ?? 0, MAX_BACKOFF_SECONDS));
  }
  return {
    nextPollAt: new Date(input.now.getTime() + Math.round(waitSeconds * 1000)),
    intervalSeconds,
    medianGapSeconds: gap,
    quiet,
  };
}
