import { attributionText } from "../attribution.ts";
import type { FeedDocument, FeedItem } from "../feed-item.ts";
import { languageName, translator } from "../i18n/translator.ts";
import { cdata, escapeXml } from "../xml/escape.ts";

export type RssFeed = FeedDocument;

const NAMESPACES = [
  'xmlns:content="http://purl.org/rss/1.0/modules/content/"',
  'xmlns:dc="http://purl.org/dc/elements/1.1/"',
  'xmlns:atom="http://www.w3.org/2005/Atom"',
  'xmlns:media="http://search.yahoo.com/mrss/"',
].join(" ");

function element(name: string, text: string): string {
  return `<${name}>${escapeXml(text)}</${name}>`;
}

function isImage(media: FeedItem["media"][number]): boolean {
  return media.type === null || media.type.startsWith("image/");
}

/** The body partners republish, ending with its attribution paragraph. */
function bodyWithAttribution(lang: string, item: FeedItem): string {
  const credit = escapeXml(attributionText(lang, item));
  return `${item.contentHtml}\n<p class="babelwire-attribution">${credit}</p>`;
}

function renderItem(lang: string, item: FeedItem): string {
  const parts = [
    element("title", item.title),
    element("link", item.link),
    `<guid isPermaLink="false">urn:babelwire:${escapeXml(item.id)}</guid>`,
    element("pubDate", item.publishedAt.toUTCString()),
    element("description", item.summary),
    `<content:encoded>${cdata(bodyWithAttribution(lang, item))}</content:encoded>`,
    element("dc:language", lang),
    ...item.authors.map((author) => element("dc:creator", author)),
    ...item.categories.map((category) => element("category", category)),
  ];
  const firstImage = item.media.find(isImage);
  if (firstImage) {
    parts.push(
      `<enclosure url="${escapeXml(firstImage.url)}" type="${escapeXml(firstImage.type ?? "image/jpeg")}" length="0"/>`,
    );
  }
  for (const media of item.media) {
    const type = media.type ? ` type="${escapeXml(media.type)}"` : "";
    const medium = isImage(media) ? ' medium="image"' : "";
    const caption = media.caption ? element("media:description", media.caption) : "";
    parts.push(`<media:content url="${escapeXml(media.url)}"${type}${medium}>${caption}</media:content>`);
  }
  return `<item>${parts.join("")}</item>`;
}

/** RSS 2.0 with content:encoded, dc, atom:link rel=self and Media RSS; pure and hostile-input safe. */
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
    element("generator", "Babelwire"),
    element("lastBuildDate", feed.generatedAt.toUTCString()),
    element("pubDate", feed.generatedAt.toUTCString()),
    element("ttl", "5"),
    ...feed.items.map((item) => renderItem(feed.lang, item)),
  ];
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" ${NAMESPACES}><channel>${channel.join("")}</channel></rss>\n`;
}
