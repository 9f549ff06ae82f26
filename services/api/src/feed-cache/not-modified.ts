import type { RenderedFeed } from "./rendered-feed.ts";

export interface ConditionalHeaders {
  ifNoneMatch?: string | undefined;
  ifModifiedSince?: string | undefined;
}

/**
 * Whether the reader's copy is current (RFC 9110 §13.1): If-None-Match, when sent, decides
 * alone, by weak comparison; otherwise If-Modified-Since at one-second precision.
 */
export function isNotModified(headers: ConditionalHeaders, feed: Pick<RenderedFeed, "etag" | "lastModified">): boolean {
  if (headers.ifNoneMatch !== undefined) {
    return headers.ifNoneMatch
      .split(",")
      .map((tag) => tag.trim())
      .some((tag) => tag === "*" || opaque(tag) === opaque(feed.etag));
  }
  if (headers.ifModifiedSince === undefined) return false;
  const since = Date.parse(headers.ifModifiedSince);
  return !Number.isNaN(since) && feed.lastModified.getTime() <= since;
}

function opaque(tag: string): string {
  return tag.startsWith("W/") ? tag.slice(2) : tag;
}
