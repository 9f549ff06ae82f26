import type { Media } from "@babelwire/core";
import { attributionHtml, attributionText } from "../attribution.ts";
import type { FeedItem } from "../feed-item.ts";
import { translator } from "../i18n/translator.ts";
import { webUrl } from "../links/web-url.ts";
import { isImage, mediaType } from "../media/media-type.ts";
import { rightsOf } from "../rights.ts";

/** One language version of an article as `toNinjs` takes it: a feed item and what ninjs adds. */
export interface NinjsSource extends FeedItem {
  /** The translation's language. */
  lang: string;
  /** The translation's edit version: it grows with every change a partner should take. */
  version: number;
  /** When this translation was first published (`publishedAt` is when the agency published the original). */
  firstPublishedAt: Date;
  withdrawn: boolean;
  articleId: string;
  /** The article's other published language versions: each one's identity and where the API serves it. */
  versions: Array<{ lang: string; translationId: string; href: string }>;
}

export interface NinjsText {
  role: string;
  contenttype: string;
  value: string;
}

export interface NinjsRendition {
  name: string;
  href: string;
  contenttype: string;
}

export interface NinjsAssociation {
  name: string;
  uri: string;
  type: "text" | "picture";
  language?: string;
  representationtype?: "partial";
  descriptions?: NinjsText[];
  renditions?: NinjsRendition[];
}

/** The IPTC ninjs 2.2 properties Babelwire sends; every one is standard, none an extension. */
export interface NinjsItem {
  uri: string;
  type: "text";
  representationtype: "full" | "partial";
  version: string;
  firstcreated: string;
  versioncreated: string;
  contentcreated: string;
  pubstatus: "usable" | "canceled";
  language: string;
  headlines: NinjsText[];
  descriptions?: NinjsText[];
  bodies?: NinjsText[];
  subjects?: Array<{ name: string }>;
  by?: string;
  copyrightholder: string;
  copyrightnotice: string;
  usageterms: string;
  /** A link to the agency's terms, when the operator gave one (ninjs requires a link or an encoded expression). */
  rightsinfo?: { linkedrights: string };
  infosources: Array<{ name: string; role: string }>;
  associations?: NinjsAssociation[];
  altids: Array<{ role: string; value: string }>;
}

/** The URI naming one language version of an article, the same in every output format. */
export function itemUri(translationId: string): string {
  return `urn:babelwire:${encodeURIComponent(translationId)}`;
}

/**
 * One language version of an article as IPTC ninjs 2.2. ninjs has no field linking a
 * translation to its original or to its other language versions, and its schema admits no
 * extension properties, so Babelwire gives standard ones documented roles:
 * - `associations`: `{name: "original", uri: <original URL>, language}` and, per other
 *   published language version, `{name: "translation:<lang>", uri: urn:babelwire:<id>,
 *   language, renditions: [{name: "ninjs", href: <API URL>}]}`;
 * - `altids`: `{role: "babelwire:article", value: <article id>}`, the same on every language
 *   version of one article, and `{role: "babelwire:original-url", value: <original URL>}`;
 * - `infosources`: the agency as `originator`, Babelwire as `translator:machine` or
 *   `translator:reviewed`.
 * A withdrawn translation is `pubstatus: canceled` without its text, so a partner takes it down
 * and cannot republish it from the message.
 */
export function toNinjs(item: NinjsSource): NinjsItem {
  const t = translator(item.lang);
  const live = !item.withdrawn;
  const associations = [...languageLinks(item), ...(live ? featureImage(item.media) : [])];
  const attribution = { role: "attribution", contenttype: "text/plain", value: attributionText(item.lang, item, t) };
  const summary = item.summary ? [{ role: "summary", contenttype: "text/plain", value: item.summary }] : [];
  const originalUrl = ninjsUrl(item.originalUrl);
  const rights = rightsOf(item, t);
  const rightsUrl = ninjsUrl(rights.url);
  return {
    uri: itemUri(item.id),
    type: "text",
    representationtype: live ? "full" : "partial",
    version: String(item.version),
    firstcreated: item.firstPublishedAt.toISOString(),
    versioncreated: item.updatedAt.toISOString(),
    contentcreated: item.publishedAt.toISOString(),
    pubstatus: live ? "usable" : "canceled",
    language: item.lang,
    headlines: [{ role: "main", contenttype: "text/plain", value: item.title }],
    ...(live && {
      descriptions: [...summary, attribution],
      // As in RSS, Atom and JSON Feed, the attribution closes the body, so it goes wherever the body does.
      bodies: [
        {
          role: "main",
          contenttype: "text/html",
          value: `${item.contentHtml}\n${attributionHtml(item.lang, item, t)}`,
        },
      ],
    }),
    ...(item.categories.length > 0 && { subjects: item.categories.map((name) => ({ name })) }),
    ...(item.authors.length > 0 && { by: item.authors.join(", ") }),
    copyrightholder: rights.holder,
    copyrightnotice: rights.notice,
    usageterms: rights.terms,
    ...(rightsUrl && { rightsinfo: { linkedrights: rightsUrl } }),
    infosources: [
      { name: item.sourceName, role: "originator" },
      { name: "Babelwire", role: item.reviewed ? "translator:reviewed" : "translator:machine" },
    ],
    ...(associations.length > 0 && { associations }),
    altids: [
      { role: "babelwire:article", value: item.articleId },
      ...(originalUrl ? [{ role: "babelwire:original-url", value: originalUrl }] : []),
      ...(item.storyId ? [{ role: "story", value: item.storyId }] : []),
    ],
  };
}

/** The original and the other published translations; links that are not http(s) are left out. */
function languageLinks(item: NinjsSource): NinjsAssociation[] {
  const originalUrl = ninjsUrl(item.originalUrl);
  const original: NinjsAssociation[] = originalUrl
    ? [
        {
          name: "original",
          uri: originalUrl,
          type: "text",
          language: item.originalLanguage,
          representationtype: "partial",
          renditions: [{ name: "web", href: originalUrl, contenttype: "text/html" }],
        },
      ]
    : [];
  const translations = item.versions
    .filter((version) => version.lang !== item.lang)
    .map((version): NinjsAssociation => {
      const href = ninjsUrl(version.href);
      return {
        name: `translation:${version.lang}`,
        uri: itemUri(version.translationId),
        type: "text",
        language: version.lang,
        representationtype: "partial",
        ...(href && { renditions: [{ name: "ninjs", href, contenttype: "application/json" }] }),
      };
    });
  return [...original, ...translations];
}

/**
 * A web URL as ninjs's `format: uri` accepts it. `webUrl` leaves `[` and `]` raw after the host,
 * where RFC 3986 allows them only around an IPv6 address, so they are percent-encoded here.
 */
function ninjsUrl(url: string | null): string | null {
  const web = webUrl(url);
  if (web === null) return null;
  const path = web.indexOf("/", web.indexOf("//") + 2);
  if (path < 0) return web;
  return web.slice(0, path) + web.slice(path).replace(/[[\]]/g, (char) => encodeURIComponent(char));
}

/** The lead picture: the first image a partner's site can load. */
function featureImage(media: Media[]): NinjsAssociation[] {
  for (const image of media.filter(isImage)) {
    const url = ninjsUrl(image.url);
    if (url === null) continue;
    const caption = image.caption
      ? { descriptions: [{ role: "caption", contenttype: "text/plain", value: image.caption }] }
      : {};
    return [
      {
        name: "featureimage",
        uri: url,
        type: "picture",
        ...caption,
        renditions: [{ name: "original", href: url, contenttype: mediaType(image) }],
      },
    ];
  }
  return [];
}
