export { feedparser, type ParsedFeed } from "./feedparser.ts";
export { xmllint, xpathString } from "./xmllint.ts";
