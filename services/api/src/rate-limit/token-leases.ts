import { createHash } from "node:crypto";
import type { RedisClient } from "@babelwire/queue";

/**
 * Grants up to ARGV[2] requests of the token's current window to one API process, never more
 * than the window has left: across all processes a token is granted at most ARGV[3] requests a
 * window. The window starts with the token's first lease and lasts ARGV[1] ms; the key then
 * expires and the next lease opens a new one. INCRBY 0 creates the key, so a window whose limit
 * is spent still has a clock to report.
 *
 * KEYS[1]  the token's counter, `<prefix>:ratelimit:<token id>`: requests granted this window
 * ARGV[1]  the window's length in milliseconds
 * ARGV[2]  requests asked for
 * ARGV[3]  the limit
 * returns  {requests granted now, requests granted this window in all, milliseconds until it ends}
 */
const LEASE_SCRIPT = `
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
local grant = math.max(0, math.min(tonumber(ARGV[2]), tonumber(ARGV[3]) - used))
local count = redis.call('INCRBY', KEYS[1], grant)
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {grant, count, ttl}
`;
const LEASE_SHA = createHash("sha1").update(LEASE_SCRIPT).digest("hex");

/**
 * The largest lease: bounds how early other processes may refuse a token (see createTokenLeases).
 * Each lease is a Redis round trip whose cost the busiest readers share: at 1,000 it was a
 * third of our own work on a cached feed's 304 (bench feed-304); 10,000 is still at most 2% of
 * any limit that reaches it (500,000 a window and more).
 */
const MAX_BATCH = 10_000;
/** Tokens remembered at most; past it the oldest leases are dropped (their requests simply go unused). */
const MAX_TOKENS = 10_000;

export interface WindowHit {
  /** Requests this token made in the current window as far as this process knows, this one included. */
  count: number;
  /** Milliseconds until the window ends and the count starts again. */
  resetMs: number;
}

export interface TokenLeasesOptions {
  redis: RedisClient;
  prefix: string;
  limit: number;
  windowSeconds: number;
  /** Requests leased at a time; `leaseSize(limit)` unless a test wants another. */
  batch?: number;
  /** Told when a lease taken ahead of need failed; the next request asks again. */
  onError?: (error: unknown) => void;
}

export interface TokenLeases {
  /**
   * One request from what this process holds for the token, or undefined when Redis must be
   * asked; `now` (Date.now()) when the caller has read the clock already.
   */
  take(tokenId: string, now?: number): WindowHit | undefined;
  /** Leases from Redis (waiting for a lease already under way), then takes one request. */
  hit(tokenId: string): Promise<WindowHit>;
}

export function rateLimitKey(prefix: string, tokenId: string): string {
  return `${prefix}:ratelimit:${tokenId}`;
}

/**
 * A fiftieth of the limit, between 1 and 10,000: a lease per request for small limits, where
 * exact counts matter more than a round trip, and up to 10,000 requests (2% of the limit) for
 * busy feed readers, whose next lease must arrive before half of one is used.
 */
export function leaseSize(limit: number): number {
  return Math.max(1, Math.min(MAX_BATCH, Math.floor(limit / 50)));
}

interface Allowance {
  /** Requests leased to this process and not yet used. */
  tokens: number;
  /** Requests granted this window to every process, as of the last lease. */
  granted: number;
  /** When the window ends, on this process's clock (never later than Redis's). */
  resetAt: number;
  /** The window's limit is all granted: refuse without asking Redis until resetAt. */
  spent: boolean;
  pending: Promise<void> | undefined;
}

/**
 * The partner rate limit without a Redis round trip per request: each process leases requests
 * of a token's window from Redis in batches and hands them out from memory, leasing the next
 * batch in the background once half of one is used. Redis never grants more than the limit, so
 * a token gets at most `limit` requests a window across all processes. The cost is the other
 * way: requests leased to one process are not available to another, so a token whose requests
 * are spread over P processes may be refused once `limit − (P − 1) × batch` have been made.
 */
export function createTokenLeases(options: TokenLeasesOptions): TokenLeases {
  const { redis, prefix, limit } = options;
  const batch = options.batch ?? leaseSize(limit);
  const windowMs = String(options.windowSeconds * 1000);
  const report = options.onError ?? (() => {});
  const allowances = new Map<string, Allowance>();

  const current = (tokenId: string, now: number): Allowance | undefined => {
    const allowance = allowances.get(tokenId);
    if (!allowance || allowance.resetAt > now) return allowance;
    // The window is over: what is left of it is not ours to hand out. A lease under way already
    // asks for the next one; otherwise the token starts afresh.
    if (allowance.pending) {
      allowance.tokens = 0;
      allowance.spent = false;
      return allowance;
    }
    allowances.delete(tokenId);
    return undefined;
  };

  const lease = (tokenId: string, allowance: Allowance): Promise<void> => {
    const sentAt = Date.now();
    const asked = Math.max(1, batch - allowance.tokens);
    allowance.pending = evalLease(redis, rateLimitKey(prefix, tokenId), windowMs, asked, limit)
      .then(([grant, granted, ttl]) => {
        // A count lower than before means Redis opened a new window: what was left of the old
        // one is no longer ours to hand out.
        const sameWindow = granted - grant >= allowance.granted;
        allowance.tokens = (sameWindow ? allowance.tokens : 0) + grant;
        allowance.granted = granted;
        allowance.resetAt = sentAt + ttl;
        allowance.spent = grant < asked;
      })
      .finally(() => {
        allowance.pending = undefined;
      });
    return allowance.pending;
  };

  const takeFrom = (allowance: Allowance, tokenId: string, now: number): WindowHit | undefined => {
    if (allowance.tokens === 0) {
      return allowance.spent && !allowance.pending ? { count: limit + 1, resetMs: allowance.resetAt - now } : undefined;
    }
    allowance.tokens -= 1;
    // Ahead of need: the next batch is on its way before this one runs out.
    if (batch > 1 && !allowance.spent && !allowance.pending && allowance.tokens < batch / 2) {
      lease(tokenId, allowance).catch(report);
    }
    return { count: allowance.granted - allowance.tokens, resetMs: allowance.resetAt - now };
  };

  const take = (tokenId: string, now = Date.now()): WindowHit | undefined => {
    const allowance = current(tokenId, now);
    return allowance ? takeFrom(allowance, tokenId, now) : undefined;
  };

  return {
    take,
    async hit(tokenId) {
      for (;;) {
        const now = Date.now();
        let allowance = current(tokenId, now);
        if (!allowance) {
          if (allowances.size >= MAX_TOKENS) allowances.delete(allowances.keys().next().value ?? "");
          allowance = { tokens: 0, granted: 0, resetAt: now, spent: false, pending: undefined };
          allowances.set(tokenId, allowance);
        }
        const hit = takeFrom(allowance, tokenId, now);
        if (hit) return hit;
        await (allowance.pending ?? lease(tokenId, allowance));
      }
    },
  };
}

/** EVALSHA, or EVAL once after Redis lost its script cache. */
async function evalLease(
  redis: RedisClient,
  key: string,
  windowMs: string,
  asked: number,
  limit: number,
): Promise<[number, number, number]> {
  const args = [key, windowMs, String(asked), String(limit)] as const;
  try {
    return (await redis.evalsha(LEASE_SHA, 1, ...args)) as [number, number, number];
  } catch (error) {
    if (!String((error as Error).message).startsWith("NOSCRIPT")) throw error;
    return (await redis.eval(LEASE_SCRIPT, 1, ...args)) as [number, number, number];
  }
}
