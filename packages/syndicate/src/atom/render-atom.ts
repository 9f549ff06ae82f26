import { attributionHtml } from "../attribution.ts";
import type { FeedDocument, FeedItem, LanguageVersion } from "../feed-item.ts";
import { languageName, type Translate, translator } from "../i18n/translator.ts";
import { webUrl } from "../links/web-url.ts";
import { mainImage, mediaType } from "../media/media-type.ts";
import { rightsLine, rightsOf } from "../rights.ts";
import { escapeXml } from "../xml/escape.ts";

/** Atom 1.0 (RFC 4287) with xml:lang and hreflang links between language versions; pure and safe with hostile input. */
export function renderAtom(feed: FeedDocument): string {
  const t = translator(feed.lang);
  const language = languageName(feed.lang, feed.lang);
  const head = [
    element("id", `urn:babelwire:feed:${feed.lang}`),
    textElement("title", t("feed.title", { language })),
    textElement("subtitle", t("feed.description", { language })),
    element("updated", feed.generatedAt.toISOString()),
    link({ rel: "self", type: "application/atom+xml", href: feed.selfUrl }),
    ...(feed.hubUrl ? [link({ rel: "hub", href: feed.hubUrl })] : []),
    link({ rel: "alternate", type: "text/html", href: feed.siteUrl }),
    element("generator", "Babelwire"),
  ];
  const entries = feed.items.map((item) => renderEntry(feed.lang, item, t));
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${escapeXml(feed.lang)}">` +
    `${[...head, ...entries].join("\n")}</feed>\n`
  );
}

function renderEntry(lang: string, item: FeedItem, t: Translate): string {
  const body = `${item.contentHtml}\n${attributionHtml(lang, item, t)}`;
  // Atom wants an author on every entry of a feed without one; the agency is the author of record.
  const authors = item.authors.length > 0 ? item.authors : [item.sourceName];
  const image = mainImage(item.media);
  const parts = [
    // The translation's id, never the title or link: partners dedupe on it across corrections.
    element("id", `urn:babelwire:${item.id}`),
    textElement("title", item.title),
    element("updated", item.updatedAt.toISOString()),
    element("published", item.publishedAt.toISOString()),
    ...authors.map((name) => `<author>${element("name", name)}</author>`),
    ...item.categories.map((term) => `<category term="${escapeXml(term)}"/>`),
    textElement("summary", item.summary),
    `<content type="html">${escapeXml(body)}</content>`,
    textElement("rights", rightsLine(rightsOf(item, t))),
    link({ rel: "alternate", type: "text/html", href: item.link }),
    ...otherLanguages(lang, item).map((version) =>
      link({ rel: "alternate", hreflang: version.lang, href: version.url, type: version.type }),
    ),
    image ? link({ rel: "enclosure", type: mediaType(image), href: image.url, length: image.length }) : "",
  ];
  return `<entry>${parts.join("")}</entry>`;
}

/**
 * The entry's other language versions, then its original. Atom allows one alternate link per
 * (type, hreflang): the feed's own language is left out, and the original wins its language.
 */
function otherLanguages(lang: string, item: FeedItem): LanguageVersion[] {
  const url = webUrl(item.originalUrl);
  const original = url ? [{ lang: item.originalLanguage, url, type: "text/html" }] : [];
  const taken = new Set([lang, ...original.map((version) => version.lang)].map((tag) => tag.toLowerCase()));
  const translations = (item.alternates ?? []).filter((version) => {
    const key = version.lang.toLowerCase();
    if (taken.has(key)) return false;
    taken.add(key);
    return true;
  });
  // The original goes last: feedparser takes the last HTML alternate as the entry's link, most
  // readers the first (the main link), and both are then the story's page.
  return [...translations, ...original];
}

interface LinkAttributes {
  rel: string;
  href: string;
  type?: string;
  hreflang?: string;
  length?: number | null | undefined;
}

/** A link to a web URL; one that is not (javascript:, data:, garbage) is left out. */
function link({ rel, href, type, hreflang, length }: LinkAttributes): string {
  const url = webUrl(href);
  if (url === null) return "";
  const typeAttribute = type === undefined ? "" : ` type="${escapeXml(type)}"`;
  const hreflangAttribute = hreflang === undefined ? "" : ` hreflang="${escapeXml(hreflang)}"`;
  const lengthAttribute = length ? ` length="${length}"` : "";
  return `<link rel="${rel}"${typeAttribute}${hreflangAttribute}${lengthAttribute} href="${escapeXml(url)}"/>`;
}

function element(name: string, text: string): string {
  return `<${name}>${escapeXml(text)}</${name}>`;
}

function textElement(name: string, text: string): string {
  return `<${name} type="text">${escapeXml(text)}</${name}>`;
}
