import type { Media } from "@babelwire/core";
import { decodeHTML } from "entities";
import type { ParsedMedia } from "../parse/parsed-feed.ts";
import { absoluteHttpUrl } from "./canonical-url.ts";

// The body is sanitized output, so attributes are double-quoted and entity-escaped.
const FIRST_IMAGE = /<img\b[^>]*>/;
const ATTRIBUTE = /\s([a-z]+)="([^"]*)"/g;

/**
 * The item's media: enclosures, media:content and thumbnails as the feed lists them, then the
 * body's first picture; absolute http(s) URLs only, each URL once (the first mention wins, as
 * it carries the most detail).
 */
export function collectMedia(media: ParsedMedia[], sanitizedBody: string, baseUrl: string | null): Media[] {
  const seen = new Set<string>();
  const result: Media[] = [];
  for (const medium of [...media, ...firstImage(sanitizedBody)]) {
    const url = absoluteHttpUrl(medium.url, [baseUrl])?.href;
    if (url === undefined || seen.has(url)) continue;
    seen.add(url);
    result.push({ url, type: medium.type, caption: medium.caption });
  }
  return result;
}

function firstImage(html: string): ParsedMedia[] {
  const tag = html.match(FIRST_IMAGE)?.[0];
  if (tag === undefined) return [];
  const attributes = new Map(
    Array.from(tag.matchAll(ATTRIBUTE), ([, name = "", value = ""]) => [name, decodeHTML(value)]),
  );
  const src = attributes.get("src");
  if (src === undefined) return [];
  const alt = attributes.get("alt")?.trim();
  return [{ url: src, type: null, caption: alt ? alt : null }];
}
