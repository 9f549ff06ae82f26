import { stripUnstorableText } from "@babelwire/core";
import type { ParsedFeed, ParsedItem } from "./parsed-feed.ts";

const strip = (value: string | null) => (value === null ? null : stripUnstorableText(value));

/**
 * The feed without NUL characters and unpaired surrogates (`&#0;` in XML, `\u0000` or a lone
 * `\ud800` in JSON): no database stores them, and one such item used to fail the whole poll.
 */
export function stripUnstorable(feed: ParsedFeed): ParsedFeed {
  return {
    ...feed,
    title: stripUnstorableText(feed.title),
    link: strip(feed.link),
    language: strip(feed.language),
    baseUrl: strip(feed.baseUrl),
    items: feed.items.map(stripItem),
  };
}

function stripItem(item: ParsedItem): ParsedItem {
  return {
    ...item,
    id: strip(item.id),
    link: strip(item.link),
    title: strip(item.title),
    contentHtml: strip(item.contentHtml),
    descriptionHtml: strip(item.descriptionHtml),
    published: strip(item.published),
    updated: strip(item.updated),
    language: strip(item.language),
    authors: item.authors.map(stripUnstorableText),
    categories: item.categories.map(stripUnstorableText),
    media: item.media.map((medium) => ({
      ...medium,
      url: stripUnstorableText(medium.url),
      type: strip(medium.type),
      caption: strip(medium.caption),
    })),
    baseUrl: strip(item.baseUrl),
    contentBaseUrl: strip(item.contentBaseUrl),
  };
}
