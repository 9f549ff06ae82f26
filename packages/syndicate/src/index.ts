export { renderAtom } from "./atom/render-atom.ts";
export { type Attributable, attributionHtml, attributionText } from "./attribution.ts";
export {
  type FeedFormat,
  type FeedGenerationCounter,
  type FeedKeyParts,
  feedCacheKey,
  feedGenerationChannel,
  feedGenerationKey,
  type GenerationNews,
  generationMessage,
  invalidateFeeds,
  parseGenerationMessage,
} from "./cache/feed-cache-keys.ts";
export { announceFeedChange, type ChangePublisher, feedChangesChannel } from "./cache/feed-changes.ts";
export type { FeedDocument, FeedItem, LanguageVersion } from "./feed-item.ts";
export { languageName, type Translate, translator } from "./i18n/translator.ts";
export { renderJsonFeed } from "./json-feed/render-json-feed.ts";
export {
  articleApiUrl,
  groupVersionsByArticle,
  type LiveVersion,
  liveFeedItem,
  liveNinjs,
} from "./ninjs/live-item.ts";
export {
  itemUri,
  type NinjsAssociation,
  type NinjsItem,
  type NinjsSource,
  toNinjs,
} from "./ninjs/render-ninjs.ts";
export {
  DEFAULT_FEED_LIMIT,
  FEED_FORMATS,
  type FeedFormatSpec,
  feedFormatSpec,
  feedLinkHeader,
  feedSelfUrl,
  renderPartnerFeed,
  websubHubUrl,
} from "./partner-feed/partner-feed.ts";
export { type Rights, rightsLine, rightsOf } from "./rights.ts";
export { type RssFeed, renderRss } from "./rss/render-rss.ts";
export {
  type StandardWebhookHeaders,
  standardWebhookHeaders,
  verifyWebhookSignature,
  webhookBody,
  webhookSignature,
} from "./webhooks/sign-webhook.ts";
export { cdata, escapeXml, stripInvalidXmlChars } from "./xml/escape.ts";
