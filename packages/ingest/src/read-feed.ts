import type { NormalizedArticle } from "@babelwire/core";
import { decodeFeed } from "./decode/decode-feed.ts";
import { fetchFeed } from "./fetch/fetch-feed.ts";
import type { FeedRequest, FetchOptions } from "./fetch/fetch-types.ts";
import { htmlToLine } from "./normalize/html-to-text.ts";
import { normalizeItems } from "./normalize/normalize-items.ts";
import { discoverWebSub, type WebSubDiscovery } from "./normalize/websub-discovery.ts";
import { parseFeed } from "./parse/parse-feed.ts";

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
      /** The WebSub hub and topic the feed announces, if any. */
      websub: WebSubDiscovery | null;
    };

export interface ReadFeedOptions extends FetchOptions {
  fallbackLanguage?: string | null;
  now?: Date;
}

/** fetch → decode → parse → normalize (sanitize inside normalize). */
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
) {
  const text = decodeFeed(bytes, contentType);
  const feed = await parseFeed(text, { maxBytes: options.maxBytes, url });
  const articles = normalizeItems({
    feedUrl: url,
    feed,
    fallbackLanguage: options.fallbackLanguage,
    now: options.now ?? new Date(),
  });
  return {
    // As item titles: text, so that markup in a feed's title cannot reach a page unescaped.
    title: htmlToLine(feed.title),
    ttlMinutes: feed.ttlMinutes,
    articles,
    websub: discoverWebSub(link, feed.websub, url),
  };
}
