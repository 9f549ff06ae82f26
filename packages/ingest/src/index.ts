export { decodeFeed } from "./decode/decode-feed.ts";
export { chooseStory, storyPrint } from "./dedupe/assign-story.ts";
export { distinctGuids } from "./dedupe/distinct-guids.ts";
export { hammingDistance, SAME_STORY_DISTANCE, simhash } from "./dedupe/simhash.ts";
export { COMMON_FEED_PATHS, feedLinksOf } from "./discover/feed-links.ts";
export { type FoundFeed, findFeed } from "./discover/find-feed.ts";
export {
  type ExtractedArticle,
  type ExtractOptions,
  extractArticle,
} from "./extract/extract-article.ts";
export { type FullTextMode, shouldFetchFullText } from "./extract/full-text-policy.ts";
export { FEED_ERROR_CODES, FeedError, type FeedErrorCode } from "./feed-error.ts";
export { createFeedConnections, type FeedConnections } from "./fetch/feed-connections.ts";
export { fetchFeed } from "./fetch/fetch-feed.ts";
export type { FeedRequest, FetchedFeed, FetchOptions } from "./fetch/fetch-types.ts";
export { createHostLimiter, DEFAULT_HOST_CONCURRENCY, type HostLimiter } from "./fetch/host-limiter.ts";
export { isPublicAddress } from "./fetch/public-address.ts";
export { assertPublicAddress, assertPublicLiteral, publicOnlyLookup } from "./fetch/ssrf-guard.ts";
export {
  createIsolatePool,
  ISOLATE_CRASHED,
  ISOLATE_TIME_LIMIT_MS,
  ISOLATE_TIMEOUT,
  type IsolatePool,
} from "./isolate/isolate-pool.ts";
export { type NormalizeContext, normalizeItems } from "./normalize/normalize-items.ts";
export { discoverWebSub, parseLinkHeader, type WebSubDiscovery } from "./normalize/websub-discovery.ts";
export { type OpmlFeed, readOpml } from "./parse/opml.ts";
export { type ParseOptions, parseFeed } from "./parse/parse-feed.ts";
export type { ParsedFeed, ParsedItem, ParsedMedia } from "./parse/parsed-feed.ts";
export { type FeedReadResult, type ItemError, type ReadFeedOptions, readFeed, readFeedBody } from "./read-feed.ts";
