import type { Media } from "@babelwire/core";
import { attributionHtml } from "../attribution.ts";
import type { FeedDocument, FeedItem } from "../feed-item.ts";
import { languageName, type Translate, translator } from "../i18n/translator.ts";
import { webUrl } from "../links/web-url.ts";
import { mainImage, mediaType } from "../media/media-type.ts";
import { rightsOf } from "../rights.ts";

const VERSION = "https://jsonfeed.org/version/1.1";

/** JSON Feed 1.1 with `language` and a `_babelwire` extension per item; pure and safe to inline in a page. */
export function renderJsonFeed(feed: FeedDocument): string {
  const t = translator(feed.lang);
  const language = languageName(feed.lang, feed.lang);
  const document = {
    version: VERSION,
    title: t("feed.title", { language }),
    ...optionalUrl("home_page_url", feed.siteUrl),
    ...optionalUrl("feed_url", feed.selfUrl),
    description: t("feed.description", { language }),
    language: feed.lang,
    ...(feed.hubUrl && { hubs: [{ type: "WebSub", url: feed.hubUrl }] }),
    items: feed.items.map((item) => renderItem(feed.lang, item, t)),
  };
  return scriptSafe(JSON.stringify(document));
}

function renderItem(lang: string, item: FeedItem, t: Translate) {
  const image = mainImage(item.media);
  return {
    // The translation's id, never the title or link: partners dedupe on it across corrections.
    id: `urn:babelwire:${item.id}`,
    ...optionalUrl("url", item.link),
    title: item.title,
    content_html: `${item.contentHtml}\n${attributionHtml(lang, item, t)}`,
    summary: item.summary,
    date_published: item.publishedAt.toISOString(),
    date_modified: item.updatedAt.toISOString(),
    // As in Atom: the agency is the author of record when the item names nobody.
    authors: (item.authors.length > 0 ? item.authors : [item.sourceName]).map((name) => ({ name })),
    tags: item.categories,
    language: lang,
    ...(image ? optionalUrl("image", image.url) : {}),
    attachments: item.media.flatMap(attachment),
    _babelwire: {
      originalUrl: item.originalUrl,
      originalLanguage: item.originalLanguage,
      source: item.sourceName,
      ...(item.storyId && { story: item.storyId }),
      reviewed: item.reviewed,
      alternates: (item.alternates ?? []).filter((version) => version.lang !== lang),
      rights: rightsOf(item, t),
    },
  };
}

function attachment(media: Media) {
  const url = webUrl(media.url);
  if (url === null) return [];
  // Not `title`: JSON Feed reads attachments with equal titles as one resource in several formats.
  const caption = media.caption ? { _babelwire: { caption: media.caption } } : {};
  const size = media.length ? { size_in_bytes: media.length } : {};
  return [{ url, mime_type: mediaType(media), ...size, ...caption }];
}

/** A JSON Feed URL field, or nothing when the URL is not one a reader should follow. */
function optionalUrl<K extends string>(key: K, url: string): { [P in K]?: string } {
  const valid = webUrl(url);
  return valid === null ? {} : ({ [key]: valid } as { [P in K]: string });
}

/**
 * JSON that a page can inline in a <script> element: `</script>` and `<!--` cannot end or
 * confuse it, and U+2028/U+2029 cannot end a line in older JavaScript. Each is the same
 * string to a JSON parser.
 */
function scriptSafe(json: string): string {
  return json
    .replaceAll("<", "\\u003c")
    .replaceAll(">", "\\u003e")
    .replaceAll("&", "\\u0026")
    .replaceAll("\u2028", "\\u2028")
    .replaceAll("\u2029", "\\u2029");
}
