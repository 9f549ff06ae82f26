import { createHash } from "node:crypto";

/** A feed body with the validators sent beside it, as cached and as served. */
export interface RenderedFeed {
  /**
   * UTF-8 bytes, encoded once per rendering: a 170 KB feed handed to the socket as a string is
   * encoded again (twice: for Content-Length and for the write) on every request, which cost more
   * CPU than the rest of serving a cached feed put together.
   */
  body: Buffer;
  /** A strong entity tag, quotes included. */
  etag: string;
  /** Whole seconds: HTTP dates carry no more, and If-Modified-Since compares against this. */
  lastModified: Date;
  /** `lastModified` as the Last-Modified header says it, formatted once, not per request. */
  lastModifiedHttp: string;
}

export function renderedFeed(body: string | Buffer, lastModified: Date): RenderedFeed {
  const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : body;
  const seconds = new Date(Math.floor(lastModified.getTime() / 1000) * 1000);
  return {
    body: bytes,
    etag: `"${createHash("sha256").update(bytes).digest("base64url").slice(0, 27)}"`,
    lastModified: seconds,
    lastModifiedHttp: seconds.toUTCString(),
  };
}

const NEWLINE = 0x0a;

/**
 * The Redis value: one line of JSON with the validators, then the body's bytes as they are
 * (no JSON escaping of a 170 KB body on the way in, no parsing of it on the way out).
 */
export function serializeFeed(feed: RenderedFeed): Buffer {
  const head = JSON.stringify({ etag: feed.etag, lastModified: feed.lastModified.getTime() });
  return Buffer.concat([Buffer.from(`${head}\n`, "utf8"), feed.body]);
}

/** A cached value back as a feed, or null when it is not one (an older layout, say): a miss, not an error. */
export function parseFeed(value: Buffer): RenderedFeed | null {
  const end = value.indexOf(NEWLINE);
  if (end < 0) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.subarray(0, end).toString("utf8"));
  } catch {
    return null;
  }
  if (typeof parsed !== "object" || parsed === null) return null;
  const { etag, lastModified } = parsed as Record<string, unknown>;
  if (typeof etag !== "string" || typeof lastModified !== "number") return null;
  const date = new Date(lastModified);
  return { etag, lastModified: date, lastModifiedHttp: date.toUTCString(), body: value.subarray(end + 1) };
}
