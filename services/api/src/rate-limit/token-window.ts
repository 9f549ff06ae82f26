import { createHash } from "node:crypto";
import type { RedisClient } from "@babelwire/queue";

/**
 * Counts one request in the token's current window and answers how many it has made in it and
 * how long the window still runs. The window starts with the token's first request and lasts
 * ARGV[1] ms; the key then expires and the next request opens a new one. Refused requests count
 * too, which cannot lock a client out: the window ends on its own clock.
 *
 * KEYS[1]  the token's counter, `<prefix>:ratelimit:<token id>`
 * ARGV[1]  the window's length in milliseconds
 * returns  {requests in this window, milliseconds until it ends}
 */
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
`;
const HIT_SHA = createHash("sha1").update(HIT_SCRIPT).digest("hex");

export interface WindowHit {
  /** Requests this token made in the current window, this one included. */
  count: number;
  /** Milliseconds until the window ends and the count starts again. */
  resetMs: number;
}

export interface TokenWindow {
  hit(tokenId: string): Promise<WindowHit>;
}

export function rateLimitKey(prefix: string, tokenId: string): string {
  return `${prefix}:ratelimit:${tokenId}`;
}

/**
 * A fixed window per token in Redis, shared by every API process: one round trip per request
 * (EVALSHA; EVAL once after Redis lost its script cache). Redis keeps the time, so the
 * processes' clocks do not matter.
 */
export function createTokenWindow(redis: RedisClient, prefix: string, windowSeconds: number): TokenWindow {
  const windowMs = String(windowSeconds * 1000);
  return {
    async hit(tokenId) {
      const key = rateLimitKey(prefix, tokenId);
      let reply: unknown;
      try {
        reply = await redis.evalsha(HIT_SHA, 1, key, windowMs);
      } catch (error) {
        if (!String((error as Error).message).startsWith("NOSCRIPT")) throw error;
        reply = await redis.eval(HIT_SCRIPT, 1, key, windowMs);
      }
      const [count, resetMs] = reply as [number, number];
      return { count, resetMs };
    },
  };
}
