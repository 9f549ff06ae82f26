export { type Attributable, attributionHtml, attributionText } from "./attribution.ts";
export type { FeedDocument, FeedItem } from "./feed-item.ts";
export { languageName, type Translate, translator } from "./i18n/translator.ts";
export { type RssFeed, renderRss } from "./rss/render-rss.ts";
export { cdata, escapeXml, stripInvalidXmlChars } from "./xml/escape.ts";
