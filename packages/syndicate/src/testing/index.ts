export { type FeedparserView, feedparser } from "./feedparser.ts";
export { xmllint, xpathString } from "./xmllint.ts";
