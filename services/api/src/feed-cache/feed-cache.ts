import type { RedisClient } from "@babelwire/queue";
import { type FeedKeyParts, feedCacheKey, feedGenerationKey } from "@babelwire/syndicate";
import { ChangeCount } from "../change-count.ts";
import type { FeedGenerations } from "./feed-generations.ts";
import { parseFeed, type RenderedFeed, renderedFeed, serializeFeed } from "./rendered-feed.ts";

export interface FeedCacheOptions {
  /** A request-path connection (connectRequestRedis): it fails fast instead of waiting for Redis. */
  redis: RedisClient;
  /** The queue prefix, a Cluster hash tag such as `{babelwire}`. */
  prefix: string;
  /** A safety net only: publishing and withdrawing invalidate at once. */
  ttlSeconds?: number;
  /** Told when Redis failed or was slow and the feed went out uncached. */
  onError?: (error: unknown) => void;
  /**
   * Generations pushed to this process (`watchFeedGenerations`); without them the generation is
   * read from Redis on every request.
   */
  generations?: Pick<FeedGenerations, "known" | "read" | "changes">;
}

export type RenderFeed = () => Promise<{ body: string; lastModified: Date }>;

export interface FeedCache {
  /** The cached rendering of this feed, or a fresh one from `render`, cached for the next reader. */
  get(parts: FeedKeyParts, render: RenderFeed): Promise<RenderedFeed>;
  /**
   * The rendering this process holds for the feed at its current generation, when it knows both
   * without asking Redis; undefined otherwise (then `get`). `now` (Date.now()) when the caller
   * has read the clock already.
   */
  peek(parts: FeedKeyParts, now?: number): RenderedFeed | undefined;
  /**
   * Bumped whenever a rendering is kept here or a pushed generation changes (the generations'
   * own count): while it stays, what `peek` answered for a feed still holds, until the time `heldUntil` gives.
   */
  readonly changes: ChangeCount;
  /** Until when (as Date.now()) `peek`'s answer for this feed holds: the age of this process's copy. */
  heldUntil(parts: FeedKeyParts): number;
}

const TEN_MINUTES = 600;
/** Renderings kept in this process: a feed is fetched from Redis once per generation, not per reader. */
const LOCAL_ENTRIES = 256;

/**
 * Rendered partner feeds in Redis, under the key scheme of @babelwire/syndicate. The cache is an
 * optimization: when Redis fails or does not answer in time, the feed is rendered from the
 * database and served anyway. The connection it is given answers or fails within its command
 * timeout, and at once while Redis is away, so an outage does not hang feed requests.
 */
export function createFeedCache(options: FeedCacheOptions): FeedCache {
  const { redis, prefix, ttlSeconds = TEN_MINUTES } = options;
  const report = options.onError ?? (() => {});
  const generations = options.generations ?? readEachTime(redis, prefix);
  // Keys carry the generation, so an entry here can never be stale, only old (hence the TTL).
  const local = new Map<string, { feed: RenderedFeed; until: number }>();
  // The generations' count: a rendering kept here and a generation pushed both change what
  // `peek` answers, and a reader then checks one count.
  const changes = generations.changes;
  const remember = (key: string, feed: RenderedFeed) => {
    changes.bump();
    if (local.size >= LOCAL_ENTRIES) local.delete(local.keys().next().value ?? "");
    local.set(key, { feed, until: Date.now() + ttlSeconds * 1000 });
  };

  // The fast feed path asks with the same parts object for every request of a URL: its key is
  // built (filters encoded, a source set hashed) once per generation, not per request.
  const keys = new WeakMap<FeedKeyParts, { generation: number; key: string }>();
  const keyOf = (parts: FeedKeyParts, generation: number): string => {
    const known = keys.get(parts);
    if (known?.generation === generation) return known.key;
    const key = feedCacheKey(prefix, parts, generation);
    keys.set(parts, { generation, key });
    return key;
  };

  // This process's copy of the feed at the generation it knows, without asking Redis.
  const held = (parts: FeedKeyParts) => {
    const generation = generations.known(parts.lang);
    return generation === undefined ? undefined : local.get(keyOf(parts, generation));
  };

  return {
    peek(parts, now = Date.now()) {
      const mine = held(parts);
      return mine && mine.until > now ? mine.feed : undefined;
    },
    changes,
    heldUntil: (parts) => held(parts)?.until ?? 0,
    async get(parts, render) {
      let key: string;
      let cached: Buffer | null;
      try {
        // The generation is read before the database: a render that raced a publish is stored
        // under the old generation, which the publisher's bump has already made unreachable.
        // Known in memory on the hot path: no Redis round trip at all when the rendering is here too.
        const generation = generations.known(parts.lang) ?? (await generations.read(parts.lang));
        key = feedCacheKey(prefix, parts, generation);
        const mine = local.get(key);
        if (mine && mine.until > Date.now()) return mine.feed;
        cached = await redis.getBuffer(key);
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
      await redis.set(key, serializeFeed(feed), "EX", ttlSeconds).catch(report);
      return feed;
    },
  };
}

function readEachTime(redis: RedisClient, prefix: string): Pick<FeedGenerations, "known" | "read" | "changes"> {
  return {
    known: () => undefined,
    changes: new ChangeCount(),
    read: async (lang) => Number((await redis.get(feedGenerationKey(prefix, lang))) ?? 0),
  };
}

async function fresh(render: RenderFeed): Promise<RenderedFeed> {
  const { body, lastModified } = await render();
  return renderedFeed(body, lastModified);
}
