/**
 * Where rendered partner feeds live in Redis, shared by the API (which fills the cache) and the
 * publisher (which invalidates it), so neither service depends on the other.
 *
 * Invalidation is a per-language generation counter that is part of every cache key: bumping it
 * makes every cached feed of that language unreachable at once, in O(1) and without SCAN; the
 * orphans expire by their TTL. Every key starts with the queue prefix, a Redis Cluster hash tag
 * such as `{babelwire}`, so all of them live in one slot.
 */

import { sha256Hex } from "@babelwire/core";

export type FeedFormat = "rss" | "atom" | "json";

export interface FeedKeyParts {
  /** A normalized BCP 47 tag, which holds no colon. */
  lang: string;
  format: FeedFormat;
  source?: string | undefined;
  category?: string | undefined;
  limit: number;
  /**
   * Only items of these sources: what a partner licensed for some sources only may see. Absent
   * for readers of every source, who all share one entry.
   */
  sources?: readonly string[] | undefined;
  /** `?dedupe=story`: only the first item of each story. */
  dedupeStory?: boolean | undefined;
}

/** All the invalidation needs of a Redis client, so callers can pass ioredis or anything like it. */
export interface FeedGenerationCounter {
  incr(key: string): Promise<number>;
  publish(channel: string, message: string): Promise<number>;
}

export function feedGenerationKey(prefix: string, lang: string): string {
  return `${prefix}:feedgen:${lang}`;
}

/**
 * The pub/sub channel on which every bump is announced as `<lang> <generation>`, so API processes
 * keep the generations in memory instead of reading one per feed request. The prefix's hash tag
 * keeps it beside the keys; Redis delivers a PUBLISH to subscribers on every node anyway.
 */
export function feedGenerationChannel(prefix: string): string {
  return `${prefix}:feedgen`;
}

export interface GenerationNews {
  lang: string;
  generation: number;
}

export function generationMessage(news: GenerationNews): string {
  return `${news.lang} ${news.generation}`;
}

/** A channel message back as news, or null when it is not one (a foreign publisher, an older layout). */
export function parseGenerationMessage(message: string): GenerationNews | null {
  const [lang, raw, extra] = message.split(" ");
  const generation = Number(raw);
  if (!lang || extra !== undefined || !Number.isSafeInteger(generation) || generation < 0) return null;
  return { lang, generation };
}

/**
 * `<prefix>:feed:<lang>:g<generation>:<format>:<source|->:<category|->:<limit>[:s<digest>][:story]`,
 * the digest only for a source set (partners licensed for the same sources share it), `story`
 * only for `?dedupe=story`.
 */
export function feedCacheKey(prefix: string, parts: FeedKeyParts, generation: number): string {
  const filters = [keyPart(parts.source), keyPart(parts.category), String(parts.limit)];
  if (parts.sources) filters.push(sourceSetPart(parts.sources));
  if (parts.dedupeStory) filters.push("story");
  return [`${prefix}:feed`, parts.lang, `g${generation}`, parts.format, ...filters].join(":");
}

/** A source set of any size as a short key part, the same whatever the order it was given in. */
function sourceSetPart(sources: readonly string[]): string {
  const canonical = [...new Set(sources)].sort().join(",");
  return `s${sha256Hex(canonical).slice(0, 16)}`;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A filter value that cannot be confused with another: encoded so a colon in a category cannot
 * shift the fields, and a literal "-" kept apart from "no filter". encodeURIComponent throws on
 * a lone surrogate, which no real category holds: it becomes U+FFFD.
 */
function keyPart(value: string | undefined): string {
  if (value === undefined) return "-";
  return value === "-" ? "%2D" : encodeURIComponent(value.replace(LONE_SURROGATE, "\uFFFD"));
}

/**
 * Makes every cached feed of a language stale; call it after the database change (publish,
 * withdraw, a source's rename) has committed, so no reader can cache the old content under the
 * new generation. The bump is then announced to the API processes, which hold generations in
 * memory; one that misses the announcement (its subscription was down) reads generations from
 * Redis until it is subscribed again, so a lost message never serves a stale feed.
 */
export async function invalidateFeeds(redis: FeedGenerationCounter, prefix: string, lang: string): Promise<number> {
  const generation = await redis.incr(feedGenerationKey(prefix, lang));
  await redis.publish(feedGenerationChannel(prefix), generationMessage({ lang, generation }));
  return generation;
}
