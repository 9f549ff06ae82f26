import type { NormalizedArticle } from "@babelwire/core";
import { decodeFeed } from "./decode/decode-feed.ts";
import { fetchFeed } from "./fetch/fetch-feed.ts";
import type { FeedRequest, FetchOptions } from "./fetch/fetch-types.ts";
import type { ItemError } from "./isolate/isolate-bodies.ts";
import type { IsolatePool } from "./isolate/isolate-pool.ts";
import { discoverWebSub, type WebSubDiscovery } from "./normalize/websub-discovery.ts";
import { readDocument } from "./read-document.ts";

export type { ItemError } from "./isolate/isolate-bodies.ts";

/** Feeds from this size on (in characters) are read in a worker thread, when there is a pool. */
export const ISOLATE_FEED_MIN_CHARS = 1024 * 1024;

/** `cacheSeconds`: how long the server says its answer stays fresh, null when it does not say. */
export type FeedReadResult =
  | { notModified: true; status: 304; etag: string | null; lastModified: string | null; cacheSeconds: number | null }
  | ({
      notModified: false;
      status: number;
      etag: string | null;
      lastModified: string | null;
      cacheSeconds: number | null;
    } & FeedBody);

/** What a feed's bytes hold. */
export interface FeedBody {
  title: string;
  ttlMinutes: number | null;
  articles: NormalizedArticle[];
  /** Items left out because their content could not be processed (CONTENT_TIME_LIMIT, …). */
  itemErrors: ItemError[];
  /** The WebSub hub and topic the feed announces, if any. */
  websub: WebSubDiscovery | null;
}

export interface ReadFeedOptions extends FetchOptions {
  fallbackLanguage?: string | null;
  now?: Date;
  /** Where large bodies are sanitized: worker threads under a time limit. In-process unless given. */
  isolate?: IsolatePool;
}

/** fetch → decode → parse → normalize (sanitize inside normalize); see readDocument. */
export async function readFeed(request: FeedRequest, options: ReadFeedOptions = {}): Promise<FeedReadResult> {
  const fetched = await fetchFeed(request, options);
  const { etag, lastModified, cacheSeconds } = fetched;
  if (fetched.notModified) return { notModified: true, status: 304, etag, lastModified, cacheSeconds };

  const read = await readFeedBody(fetched.bytes, fetched.contentType, fetched.finalUrl, options, fetched.link);
  return { notModified: false, status: fetched.status, etag, lastModified, cacheSeconds, ...read };
}

/**
 * decode → parse → normalize of feed bytes already in hand: what a poll fetched, or what a
 * WebSub hub pushed (then `link` is the push's Link header).
 */
export async function readFeedBody(
  bytes: Buffer,
  contentType: string | null,
  url: string,
  options: ReadFeedOptions = {},
  link: string | null = null,
): Promise<FeedBody> {
  const text = decodeFeed(bytes, contentType);
  const documentOptions = {
    url,
    maxBytes: options.maxBytes,
    fallbackLanguage: options.fallbackLanguage,
    now: (options.now ?? new Date()).toISOString(),
  };
  // A large feed is read whole in a worker thread: linear as every step is, 15 MiB of small
  // items would still hold the event loop for many seconds.
  const { websubLinks, ...read } =
    options.isolate && text.length >= ISOLATE_FEED_MIN_CHARS
      ? await options.isolate.run({ step: "feed", text, options: documentOptions })
      : await readDocument(text, documentOptions, options.isolate);
  return { ...read, websub: discoverWebSub(link, websubLinks, url) };
}
