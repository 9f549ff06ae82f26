import type { Media } from "@babelwire/core";
import { attributionHtml } from "../attribution.ts";
import type { FeedDocument, FeedItem } from "../feed-item.ts";
import { languageName, type Translate, translator } from "../i18n/translator.ts";
import { isImage, mediaType } from "../media/media-type.ts";
import { rightsLine, rightsOf } from "../rights.ts";
import { cdata, escapeXml } from "../xml/escape.ts";

export type RssFeed = FeedDocument;

const NAMESPACES = [
  'xmlns:content="http://purl.org/rss/1.0/modules/content/"',
  'xmlns:dc="http://purl.org/dc/elements/1.1/"',
  'xmlns:atom="http://www.w3.org/2005/Atom"',
  'xmlns:media="http://search.yahoo.com/mrss/"',
].join(" ");

/** RSS 2.0 with content:encoded, dc, atom:link rel=self and Media RSS; pure and safe with hostile input. */
export function renderRss(feed: RssFeed): string {
  const t = translator(feed.lang);
  const language = languageName(feed.lang, feed.lang);
  const channel = [
    element("title", t("feed.title", { language })),
    element("link", feed.siteUrl),
    element("description", t("feed.description", { language })),
    element("language", feed.lang),
    element("dc:language", feed.lang),
    `<atom:link href="${escapeXml(feed.selfUrl)}" rel="self" type="application/rss+xml"/>`,
    ...(feed.hubUrl ? [`<atom:link href="${escapeXml(feed.hubUrl)}" rel="hub"/>`] : []),
    element("generator", "Babelwire"),
    element("lastBuildDate", feed.generatedAt.toUTCString()),
    element("pubDate", feed.generatedAt.toUTCString()),
    element("ttl", "5"),
    ...feed.items.map((item) => renderItem(feed.lang, item, t)),
  ];
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" ${NAMESPACES}><channel>${channel.join("\n")}</channel></rss>\n`;
}

function renderItem(lang: string, item: FeedItem, t: Translate): string {
  const body = `${item.contentHtml}\n${attributionHtml(lang, item, t)}`;
  const parts = [
    htmlElement("title", item.title),
    element("link", item.link),
    // The translation's id, never the title or link: partners dedupe on it across corrections.
    `<guid isPermaLink="false">urn:babelwire:${escapeXml(item.id)}</guid>`,
    element("pubDate", item.publishedAt.toUTCString()),
    htmlElement("description", item.summary),
    `<content:encoded>${cdata(body)}</content:encoded>`,
    element("dc:language", lang),
    ...item.authors.map((author) => element("dc:creator", author)),
    ...item.categories.map((category) => element("category", category)),
    element("dc:rights", rightsLine(rightsOf(item, t))),
    // The story the item tells, for partners that merge the same wire copy from several sources.
    ...(item.storyId ? [element("dc:relation", `urn:babelwire:story:${item.storyId}`)] : []),
    ...enclosure(item.media),
    ...item.media.map(mediaContent),
  ];
  return `<item>${parts.join("")}</item>`;
}

/**
 * RSS readers take an item's title and description as HTML (feedparser does, and so do most
 * CMS importers), so plain text goes in HTML-escaped, then XML-escaped: a title that reads
 * "<script>" shows as those characters and never runs.
 */
function htmlElement(name: string, text: string): string {
  return element(name, text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;"));
}

function element(name: string, text: string): string {
  return `<${name}>${escapeXml(text)}</${name}>`;
}

/**
 * RSS allows one enclosure per item: the first image, else the first medium (a podcast's audio,
 * say), with the length and type the source stated. An unknown length is 0, the convention.
 */
function enclosure(media: Media[]): string[] {
  const chosen = media.find(isImage) ?? media[0];
  if (!chosen) return [];
  const length = chosen.length ?? 0;
  return [`<enclosure url="${escapeXml(chosen.url)}" type="${escapeXml(mediaType(chosen))}" length="${length}"/>`];
}

function mediaContent(media: Media): string {
  const type = media.type ? ` type="${escapeXml(media.type)}"` : "";
  const medium = isImage(media) ? ' medium="image"' : "";
  const caption = media.caption ? element("media:description", media.caption) : "";
  return `<media:content url="${escapeXml(media.url)}"${type}${medium}>${caption}</media:content>`;
}
