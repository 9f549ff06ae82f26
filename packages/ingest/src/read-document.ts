import type { NormalizedArticle } from "@babelwire/core";
import { htmlToLine } from "@babelwire/html";
import { type ItemError, isolateLargeBodies } from "./isolate/isolate-bodies.ts";
import type { IsolatePool } from "./isolate/isolate-pool.ts";
import { normalizeItems } from "./normalize/normalize-items.ts";
import { parseFeed } from "./parse/parse-feed.ts";
import type { ParsedFeed } from "./parse/parsed-feed.ts";
import { stripUnstorable } from "./parse/strip-unstorable.ts";

export interface DocumentOptions {
  /** Where the document was read from (after redirects). */
  url: string;
  maxBytes?: number | undefined;
  fallbackLanguage?: string | null | undefined;
  /** ISO 8601: crosses to a worker thread as it is. */
  now: string;
}

export interface ReadDocument {
  title: string;
  ttlMinutes: number | null;
  articles: NormalizedArticle[];
  /** Items left out because their content could not be processed (CONTENT_TIME_LIMIT, …). */
  itemErrors: ItemError[];
  /** The hub and self links the feed itself declares (WebSub discovery weighs them with the Link header). */
  websubLinks: ParsedFeed["websub"];
}

/** A decoded feed document → its articles: parse → normalize (sanitize inside normalize). */
export async function readDocument(
  text: string,
  options: DocumentOptions,
  isolate?: IsolatePool,
): Promise<ReadDocument> {
  const feed = stripUnstorable(await parseFeed(text, { maxBytes: options.maxBytes, url: options.url }));
  const isolated = await isolateLargeBodies(feed, options.url, isolate);
  const articles = normalizeItems({
    feedUrl: options.url,
    feed: isolated.feed,
    bodies: isolated.bodies,
    fallbackLanguage: options.fallbackLanguage,
    now: new Date(options.now),
  });
  // As item titles: text, so that markup in a feed's title cannot reach a page unescaped.
  return {
    title: htmlToLine(feed.title),
    ttlMinutes: feed.ttlMinutes,
    articles,
    itemErrors: isolated.itemErrors,
    websubLinks: feed.websub,
  };
}
