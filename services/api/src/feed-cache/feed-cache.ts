import { type FeedKeyParts, feedCacheKey, feedGenerationKey } from "@babelwire/syndicate";
import type { Redis } from "ioredis";
import { withTimeout } from "../redis/with-timeout.ts";
import type { FeedGenerations } from "./feed-generations.ts";
import { parseFeed, type RenderedFeed, renderedFeed, serializeFeed } from "./rendered-feed.ts";

export interface FeedCacheOptions {
  redis: Redis;
  /** The queue prefix, a Cluster hash tag such as `{babelwire}`. */
  prefix: string;
  /** A safety net only: publishing and withdrawing invalidate at once. */
  ttlSeconds?: number;
  /** How long to wait for Redis before serving without the cache. */
  timeoutMs?: number;
  /** Told when Redis failed or was slow and the feed went out uncached. */
  onError?: (error: unknown) => void;
  /**
   * Generations pushed to this process (`watchFeedGenerations`); without them the generation is
   * read from Redis on every request.
   */
  generations?: Pick<FeedGenerations, "known" | "read">;
}

export type RenderFeed = () => Promise<{ body: string; lastModified: Date }>;

export interface FeedCache {
  /** The cached rendering of this feed, or a fresh one from `render`, cached for the next reader. */
  get(parts: FeedKeyParts, render: RenderFeed): Promise<RenderedFeed>;
  /**
   * The rendering this process holds for the feed at its current generation, when it knows both
   * without asking Redis; undefined otherwise (then `get`).
   */
  peek(parts: FeedKeyParts): RenderedFeed | undefined;
}

const TEN_MINUTES = 600;
const REDIS_TIMEOUT_MS = 1000;
/** Renderings kept in this process: a feed is fetched from Redis once per generation, not per reader. */
const LOCAL_ENTRIES = 256;

/**
 * Rendered partner feeds in Redis, under the key scheme of @babelwire/syndicate. The cache is an
 * optimization: when Redis fails or does not answer in time, the feed is rendered from the
 * database and served anyway (the shared connection queues commands while Redis is away, so
 * without the timeout a Redis outage would hang every feed request).
 */
export function createFeedCache(options: FeedCacheOptions): FeedCache {
  const { redis, prefix, ttlSeconds = TEN_MINUTES, timeoutMs = REDIS_TIMEOUT_MS } = options;
  const report = options.onError ?? (() => {});
  const generations = options.generations ?? readEachTime(redis, prefix);
  const bounded = <T>(command: Promise<T>) => withTimeout(command, timeoutMs);
  // Keys carry the generation, so an entry here can never be stale, only old (hence the TTL).
  const local = new Map<string, { feed: RenderedFeed; until: number }>();
  const remember = (key: string, feed: RenderedFeed) => {
    if (local.size >= LOCAL_ENTRIES) local.delete(local.keys().next().value ?? "");
    local.set(key, { feed, until: Date.now() + ttlSeconds * 1000 });
  };

  return {
    peek(parts) {
      const generation = generations.known(parts.lang);
      if (generation === undefined) return undefined;
      const mine = local.get(feedCacheKey(prefix, parts, generation));
      return mine && mine.until > Date.now() ? mine.feed : undefined;
    },
    async get(parts, render) {
      let key: string;
      let cached: Buffer | null;
      try {
        // The generation is read before the database: a render that raced a publish is stored
        // under the old generation, which the publisher's bump has already made unreachable.
        // Known in memory on the hot path: no Redis round trip at all when the rendering is here too.
        const generation = generations.known(parts.lang) ?? (await bounded(generations.read(parts.lang)));
        key = feedCacheKey(prefix, parts, generation);
        const mine = local.get(key);
        if (mine && mine.until > Date.now()) return mine.feed;
        cached = await bounded(redis.getBuffer(key));
      } catch (error) {
        report(error);
        return fresh(render);
      }
      const hit = cached === null ? null : parseFeed(cached);
      if (hit) {
        remember(key, hit);
        return hit;
      }
      const feed = await fresh(render);
      remember(key, feed);
      await bounded(redis.set(key, serializeFeed(feed), "EX", ttlSeconds)).catch(report);
      return feed;
    },
  };
}

function readEachTime(redis: Redis, prefix: string): Pick<FeedGenerations, "known" | "read"> {
  return {
    known: () => undefined,
    read: async (lang) => Number((await redis.get(feedGenerationKey(prefix, lang))) ?? 0),
  };
}

async function fresh(render: RenderFeed): Promise<RenderedFeed> {
  const { body, lastModified } = await render();
  return renderedFeed(body, lastModified);
}
