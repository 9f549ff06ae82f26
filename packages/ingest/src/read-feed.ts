import type { NormalizedArticle } from "@babelwire/core";
import { decodeFeed } from "./decode/decode-feed.ts";
import { fetchFeed } from "./fetch/fetch-feed.ts";
import type { FeedRequest, FetchOptions } from "./fetch/fetch-types.ts";
import { type ItemError, isolateLargeBodies } from "./isolate/isolate-bodies.ts";
import type { IsolatePool } from "./isolate/isolate-pool.ts";
import { htmlToLine } from "./normalize/html-to-text.ts";
import { normalizeItems } from "./normalize/normalize-items.ts";
import { parseFeed } from "./parse/parse-feed.ts";

export type { ItemError } from "./isolate/isolate-bodies.ts";

/** `cacheSeconds`: how long the server says its answer stays fresh, null when it does not say. */
export type FeedReadResult =
  | { notModified: true; status: 304; etag: string | null; lastModified: string | null; cacheSeconds: number | null }
  | {
      notModified: false;
      status: number;
      etag: string | null;
      lastModified: string | null;
      cacheSeconds: number | null;
      title: string;
      ttlMinutes: number | null;
      articles: NormalizedArticle[];
      /** Items left out because their content could not be processed (CONTENT_TIME_LIMIT, …). */
      itemErrors: ItemError[];
    };

export interface ReadFeedOptions extends FetchOptions {
  fallbackLanguage?: string | null;
  now?: Date;
  /** Where large bodies are sanitized: worker threads under a time limit. In-process unless given. */
  isolate?: IsolatePool;
}

/** fetch → decode → parse → normalize (sanitize inside normalize). */
export async function readFeed(request: FeedRequest, options: ReadFeedOptions = {}): Promise<FeedReadResult> {
  const fetched = await fetchFeed(request, options);
  const { etag, lastModified, cacheSeconds } = fetched;
  if (fetched.notModified) return { notModified: true, status: 304, etag, lastModified, cacheSeconds };

  const text = decodeFeed(fetched.bytes, fetched.contentType);
  const feed = await parseFeed(text, { maxBytes: options.maxBytes, url: fetched.finalUrl });
  const isolated = await isolateLargeBodies(feed, fetched.finalUrl, options.isolate);
  const articles = normalizeItems({
    feedUrl: fetched.finalUrl,
    feed: isolated.feed,
    bodies: isolated.bodies,
    fallbackLanguage: options.fallbackLanguage,
    now: options.now ?? new Date(),
  });
  return {
    notModified: false,
    status: fetched.status,
    etag,
    lastModified,
    cacheSeconds,
    // As item titles: text, so that markup in a feed's title cannot reach a page unescaped.
    title: htmlToLine(feed.title),
    ttlMinutes: feed.ttlMinutes,
    articles,
    itemErrors: isolated.itemErrors,
  };
}
