import { textToHtml } from "@babelwire/html";
import { FeedError } from "../feed-error.ts";
import {
  authorsOf,
  categoriesOf,
  extensionDescriptionOf,
  extensionTitleOf,
  mediaOf,
  xmlLangOf,
} from "./item-fields.ts";
import type { ParsedFeed, ParsedItem } from "./parsed-feed.ts";
import { websubLinksOf } from "./websub-links.ts";
import { baseOf, childNamed, childrenNamed, markupOf, textOf, type XmlBase } from "./xml-element.ts";
import type { XmlElement } from "./xml-tree.ts";

/** RSS 0.9x and 2.0 (`<rss>`), and RSS 1.0 / 0.90 (`<rdf:RDF>`, whose items sit beside the channel). */
export function readRssFeed(root: XmlElement, documentBase: XmlBase): ParsedFeed {
  const channel = childNamed(root, "channel");
  if (channel === undefined) {
    throw new FeedError("FEED_PARSE", "The feed is XML but lacks the elements an RSS or Atom feed needs.");
  }
  const base = baseOf(channel, baseOf(root, documentBase));
  const items = root.name === "rdf:RDF" ? childrenNamed(root, "item") : childrenNamed(channel, "item");
  return {
    title: markupOf(childNamed(channel, "title")) ?? markupOf(childNamed(channel, "dc:title")) ?? "",
    link: textOf(childNamed(channel, "link")),
    websub: websubLinksOf(channel),
    language:
      textOf(childNamed(channel, "language")) ??
      textOf(childNamed(channel, "dc:language")) ??
      xmlLangOf(root) ??
      xmlLangOf(channel),
    ttlMinutes: positiveInteger(textOf(childNamed(channel, "ttl"))),
    baseUrl: base.declared ? base.url : null,
    items: items.map((item) => readItem(item, base)),
  };
}

function readItem(item: XmlElement, channelBase: XmlBase): ParsedItem {
  const guid = childNamed(item, "guid");
  const body = bodyOf(item);
  const base = baseOf(item, channelBase);
  const bodyBase = body === undefined ? base : baseOf(body, base);
  return {
    id: textOf(guid) ?? item.attributes["rdf:about"]?.trim() ?? null,
    link: textOf(childNamed(item, "link")) ?? permalinkGuid(guid),
    title: markupOf(childNamed(item, "title")) ?? extensionTitleOf(item),
    contentHtml: markupOf(body) ?? yandexFullText(item),
    descriptionHtml:
      markupOf(childNamed(item, "description")) ??
      markupOf(childNamed(item, "summary")) ??
      extensionDescriptionOf(item),
    published:
      textOf(childNamed(item, "published")) ??
      textOf(childNamed(item, "pubDate")) ??
      textOf(childNamed(item, "dc:date")) ??
      textOf(childNamed(item, "dcterms:issued")),
    updated:
      textOf(childNamed(item, "updated")) ??
      textOf(childNamed(item, "atom:updated")) ??
      textOf(childNamed(item, "dcterms:modified")),
    language: textOf(childNamed(item, "dc:language")) ?? xmlLangOf(item),
    authors: authorsOf(item),
    categories: categoriesOf(item),
    media: mediaOf(item),
    baseUrl: base.declared ? base.url : null,
    contentBaseUrl: bodyBase.declared ? bodyBase.url : null,
  };
}

/**
 * The full body: content:encoded as nearly every feed writes it, else an inline XHTML body
 * (`<xhtml:body>` or `<body xmlns="http://www.w3.org/1999/xhtml">`) or UserLand's `<fullitem>`.
 */
function bodyOf(item: XmlElement): XmlElement | undefined {
  return (
    childNamed(item, "content:encoded") ??
    childNamed(item, "xhtml:body") ??
    childNamed(item, "body") ??
    childNamed(item, "fullitem")
  );
}

/**
 * Yandex.News feeds (common with Ukrainian and Russian agencies) carry the whole article as plain
 * text in `yandex:full-text`, one paragraph a line, beside a short description.
 */
function yandexFullText(item: XmlElement): string | null {
  const text = textOf(childNamed(item, "yandex:full-text"));
  return text === null ? null : textToHtml(text, { linePerParagraph: true });
}

/**
 * RSS 2.0: a guid is the item's permalink unless it says isPermaLink="false"; feeds that
 * only give a guid (Scripting News and other UserLand-style feeds) would otherwise have no link.
 */
function permalinkGuid(guid: XmlElement | undefined): string | null {
  const text = textOf(guid);
  if (text === null || guid?.attributes.isPermaLink?.trim().toLowerCase() === "false") return null;
  return /^https?:\/\//i.test(text) ? text : null;
}

function positiveInteger(text: string | null): number | null {
  const value = text === null ? Number.NaN : Number.parseInt(text, 10);
  return Number.isFinite(value) && value > 0 ? value : null;
}
