import type { LiveTranslation } from "@babelwire/core";
import { renderAtom } from "../atom/render-atom.ts";
import type { FeedFormat, FeedKeyParts } from "../cache/feed-cache-keys.ts";
import type { FeedDocument } from "../feed-item.ts";
import { renderJsonFeed } from "../json-feed/render-json-feed.ts";
import { groupVersionsByArticle, type LiveVersion, liveFeedItem } from "../ninjs/live-item.ts";
import { renderRss } from "../rss/render-rss.ts";

export interface FeedFormatSpec {
  format: FeedFormat;
  title: string;
  mediaType: string;
  render: (feed: FeedDocument) => string;
}

export const FEED_FORMATS: readonly FeedFormatSpec[] = [
  { format: "rss", title: "RSS 2.0", mediaType: "application/rss+xml", render: renderRss },
  { format: "atom", title: "Atom 1.0", mediaType: "application/atom+xml", render: renderAtom },
  { format: "json", title: "JSON Feed 1.1", mediaType: "application/feed+json", render: renderJsonFeed },
];

export const DEFAULT_FEED_LIMIT = 50;

export function feedFormatSpec(format: FeedFormat): FeedFormatSpec {
  return FEED_FORMATS.find((spec) => spec.format === format) ?? (FEED_FORMATS[0] as FeedFormatSpec);
}

/** Where partner feeds' WebSub hub takes subscriptions. */
export function websubHubUrl(base: string): string {
  return `${base}/websub/hub`;
}

/** The feed's own URL with its filters, never the token a reader may have put in the query. */
export function feedSelfUrl(base: string, parts: FeedKeyParts): string {
  const query = new URLSearchParams();
  if (parts.source) query.set("source", parts.source);
  if (parts.category) query.set("category", parts.category);
  if (parts.limit !== DEFAULT_FEED_LIMIT) query.set("limit", String(parts.limit));
  if (parts.dedupeStory) query.set("dedupe", "story");
  const search = query.size > 0 ? `?${query}` : "";
  return `${base}/v1/feeds/${parts.lang}.${parts.format}${search}`;
}

/** WebSub discovery in HTTP (RFC 8288): the hub and the URL to subscribe to, for every format. */
export function feedLinkHeader(hubUrl: string, selfUrl: string): string {
  return `<${hubUrl}>; rel="hub", <${selfUrl}>; rel="self"`;
}

/**
 * A partner feed from its published rows, newest first, in the format the parts name: what
 * the feed route serves and what the WebSub hub pushes, byte for byte the same.
 */
export function renderPartnerFeed(
  parts: FeedKeyParts,
  items: readonly LiveTranslation[],
  versions: readonly LiveVersion[],
  base: string,
  /** The page the feed names as its site (PUBLIC_SITE_URL). */
  siteUrl: string,
): { body: string; lastModified: Date } {
  const grouped = groupVersionsByArticle(versions);
  // A source's rename or new terms change its items as much as a new translation does. An empty
  // feed was last built now, not in 1970: readers show that date and some drop the feed for it.
  const lastModified =
    items.length === 0
      ? new Date()
      : new Date(
          items.reduce(
            (latest, item) => Math.max(latest, item.updatedAt.getTime(), item.sourceUpdatedAt?.getTime() ?? 0),
            0,
          ),
        );
  const body = feedFormatSpec(parts.format).render({
    lang: parts.lang,
    selfUrl: feedSelfUrl(base, parts),
    hubUrl: websubHubUrl(base),
    siteUrl,
    generatedAt: lastModified,
    items: items.map((item) => liveFeedItem(item, grouped, base)),
  });
  return { body, lastModified };
}
