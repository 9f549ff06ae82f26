/**
 * Runs a Lua script on Redis: `keys` are the script's KEYS, `args` its ARGV. The wiring adapts
 * its ioredis client (`redis.eval(script, keys.length, ...keys, ...args)`).
 */
export interface SharedStore {
  eval(script: string, keys: string[], args: Array<string | number>): Promise<unknown>;
}

/** What another translator process said when it took the engine out of the chain. */
export interface SharedOpening {
  /** How much longer the engine stays out. */
  remainingMs: number;
  code: string;
  message: string;
}

/**
 * One engine's limits as every translator process sees them: the token bucket lives in Redis,
 * so `requestsPerSecond` holds for the whole deployment, and an engine one process takes out of
 * the chain is out for all of them until its cool-down ends. Concurrency stays per process.
 */
export interface SharedLimits {
  /** Takes a token from the shared bucket; how long to wait before asking again (0: taken). */
  take(perSecond: number): Promise<number>;
  /** The engine's opening by any process, while it lasts. */
  opening(): Promise<SharedOpening | undefined>;
  /** Tells every process the engine is out for `ms` (a longer opening already there stands). */
  publishOpening(ms: number, code: string, message: string): Promise<void>;
}

/*
 * KEYS[1]: the bucket hash {tokens, at}. ARGV[1]: tokens per second. Redis's own clock, so
 * processes on several machines share one. Returns the ms to wait, 0 when a token was taken.
 */
const TAKE = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local rate = tonumber(ARGV[1])
local depth = math.max(1, rate)
local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(bucket[1]) or depth
local at = tonumber(bucket[2]) or now
tokens = math.min(depth, tokens + math.max(0, now - at) * rate / 1000)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = math.ceil((1 - tokens) * 1000 / rate) end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', now)
redis.call('PEXPIRE', KEYS[1], 60000)
return wait
`;

/* KEYS[1]: the opening, a JSON string that expires with the cool-down. Returns {json, pttl}. */
const READ_OPENING = `return {redis.call('GET', KEYS[1]), redis.call('PTTL', KEYS[1])}`;

/* KEYS[1]: the opening. ARGV[1]: JSON, ARGV[2]: ms. Keeps a longer opening that is already there. */
const PUBLISH_OPENING = `
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
end
return 1
`;

/** Shared limits that never hold a request up: each call answers undefined when Redis does not answer in time. */
export interface GuardedSharedLimits {
  take(perSecond: number): Promise<number | undefined>;
  opening(): Promise<SharedOpening | undefined>;
  publishOpening(ms: number, code: string, message: string): Promise<void>;
}

/**
 * Wraps shared limits so that a Redis that is down or slow costs at most `timeoutMs` a call: the
 * process goes on with its own limits, and the operator hears it once (and once when it is back).
 */
export function guardSharedLimits(
  shared: SharedLimits,
  options: {
    engine: string;
    timeoutMs: number;
    alerts?: { error(details: object, message: string): void; info?(details: object, message: string): void };
  },
): GuardedSharedLimits {
  const { engine, timeoutMs, alerts } = options;
  let down = false;
  async function guarded<T>(work: () => Promise<T>): Promise<T | undefined> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
      });
      const result = await Promise.race([work(), timeout]);
      if (down) alerts?.info?.({ engine }, `shared limits of translation engine ${engine} are back`);
      down = false;
      return result;
    } catch (error) {
      if (!down) {
        alerts?.error(
          { engine, reason: error instanceof Error ? error.message : String(error) },
          `shared limits of translation engine ${engine} unavailable (Redis): this process keeps its own`,
        );
      }
      down = true;
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }
  return {
    take: (perSecond) => guarded(() => shared.take(perSecond)),
    opening: async () => guarded(() => shared.opening()),
    publishOpening: async (ms, code, message) => {
      await guarded(() => shared.publishOpening(ms, code, message));
    },
  };
}

/** `prefix` should carry the deployment's Redis hash tag (QUEUE_PREFIX), so both keys live in one slot. */
export function createSharedLimits(store: SharedStore, prefix: string, engine: string): SharedLimits {
  const bucketKey = `${prefix}:engine:${engine}:bucket`;
  const openingKey = `${prefix}:engine:${engine}:opening`;
  return {
    async take(perSecond) {
      return Number(await store.eval(TAKE, [bucketKey], [perSecond]));
    },
    async opening() {
      const [json, pttl] = (await store.eval(READ_OPENING, [openingKey], [])) as [string | null, number];
      if (!json || Number(pttl) <= 0) return undefined;
      const { code, message } = JSON.parse(json) as { code: string; message: string };
      return { remainingMs: Number(pttl), code, message };
    },
    async publishOpening(ms, code, message) {
      await store.eval(PUBLISH_OPENING, [openingKey], [JSON.stringify({ code, message }), Math.max(1, Math.round(ms))]);
    },
  };
}
