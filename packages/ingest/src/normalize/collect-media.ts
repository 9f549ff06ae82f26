import type { Media } from "@babelwire/core";
import type { BodyImage } from "@babelwire/html";
import type { ParsedMedia } from "../parse/parsed-feed.ts";
import { absoluteHttpUrl } from "./canonical-url.ts";

/**
 * The item's media: enclosures, media:content and thumbnails as the feed lists them, then the
 * body's first picture; absolute http(s) URLs only, each URL once (the first mention wins, as
 * it carries the most detail).
 */
export function collectMedia(media: ParsedMedia[], bodyImage: BodyImage | null, baseUrl: string | null): Media[] {
  const seen = new Set<string>();
  const result: Media[] = [];
  const fromBody: ParsedMedia[] =
    bodyImage === null ? [] : [{ url: bodyImage.url, type: null, caption: bodyImage.alt, length: null }];
  for (const medium of [...media, ...fromBody]) {
    const url = absoluteHttpUrl(medium.url, [baseUrl])?.href;
    if (url === undefined || seen.has(url)) continue;
    seen.add(url);
    const length = medium.length ? { length: medium.length } : {};
    result.push({ url, type: medium.type, caption: medium.caption, ...length });
  }
  return result;
}
