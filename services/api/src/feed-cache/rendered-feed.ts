import { createHash } from "node:crypto";

/** A feed body with the validators sent beside it, as cached and as served. */
export interface RenderedFeed {
  body: string;
  /** A strong entity tag, quotes included. */
  etag: string;
  /** Whole seconds: HTTP dates carry no more, and If-Modified-Since compares against this. */
  lastModified: Date;
}

export function renderedFeed(body: string, lastModified: Date): RenderedFeed {
  return {
    body,
    etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`,
    lastModified: new Date(Math.floor(lastModified.getTime() / 1000) * 1000),
  };
}

export function serializeFeed(feed: RenderedFeed): string {
  return JSON.stringify({ etag: feed.etag, lastModified: feed.lastModified.getTime(), body: feed.body });
}

/** A cached value back as a feed, or null when it is not one (an older layout, say): a miss, not an error. */
export function parseFeed(value: string): RenderedFeed | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return null;
  }
  if (typeof parsed !== "object" || parsed === null) return null;
  const { etag, lastModified, body } = parsed as Record<string, unknown>;
  if (typeof etag !== "string" || typeof lastModified !== "number" || typeof body !== "string") return null;
  return { etag, lastModified: new Date(lastModified), body };
}
