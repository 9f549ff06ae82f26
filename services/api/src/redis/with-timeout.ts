/**
 * A Redis command that gives up after `ms`. The shared connection queues commands while Redis
 * is away, so without a bound a Redis outage would hang every request that asks it something;
 * callers that can do without Redis (the feed cache, the rate limit) go on without it instead.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
