/** Longest wait between polls of a failing source: it is never abandoned, only slowed. */
const MAX_BACKOFF_SECONDS = 6 * 3600;

/**
 * When to poll next. After a success, one interval (or the feed's own TTL when longer);
 * after failures, capped exponential backoff with ±20% jitter so failing sources spread out.
 */
export function nextPollAt(
  now: Date,
  intervalSeconds: number,
  consecutiveErrors: number,
  options: { ttlMinutes?: number | null; random?: () => number } = {},
): Date {
  if (consecutiveErrors <= 0) {
    const seconds = Math.max(intervalSeconds, (options.ttlMinutes ?? 0) * 60);
    return new Date(now.getTime() + seconds * 1000);
  }
  const base = Math.min(intervalSeconds * 2 ** (consecutiveErrors - 1), MAX_BACKOFF_SECONDS);
  const jitter = 1 + ((options.random ?? Math.random)() * 0.4 - 0.2);
  return new Date(now.getTime() + Math.round(base * jitter * 1000));
}
