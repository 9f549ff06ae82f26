export { decodeFeed } from "./decode/decode-feed.ts";
export { FEED_ERROR_CODES, FeedError, type FeedErrorCode } from "./feed-error.ts";
export { fetchFeed } from "./fetch/fetch-feed.ts";
export type { FeedRequest, FetchedFeed, FetchOptions } from "./fetch/fetch-types.ts";
export { type NormalizeContext, normalizeItems } from "./normalize/normalize-items.ts";
export { type ParseOptions, parseFeed } from "./parse/parse-feed.ts";
export type { ParsedFeed, ParsedItem, ParsedMedia } from "./parse/parsed-feed.ts";
export { type FeedReadResult, type ReadFeedOptions, readFeed } from "./read-feed.ts";
export { sanitizeHtml } from "./sanitize/sanitize-html.ts";
