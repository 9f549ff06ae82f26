import type { FastifyReply, FastifyRequest } from "fastify";
import { encodedBody, MIN_COMPRESSED_BYTES, preferredEncoding } from "./encodings.ts";
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
    // A feed reader sends back the one tag it was given: no list to split on the hot path.
    if (headers.ifNoneMatch === feed.etag) return true;
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

/** Sets the body's validators and caching on the reply, and tells whether the reader's copy is current. */
function readerIsCurrent(
  request: FastifyRequest,
  reply: FastifyReply,
  rendered: RenderedFeed,
  cacheControl: string,
): boolean {
  reply
    .header("etag", rendered.etag)
    .header("last-modified", rendered.lastModifiedHttp)
    .header("cache-control", cacheControl);
  const conditional = {
    ifNoneMatch: request.headers["if-none-match"],
    ifModifiedSince: request.headers["if-modified-since"],
  };
  return isNotModified(conditional, rendered);
}

/** Sends a rendered body with its validators, or 304 when the reader already has it. */
export function sendWithValidators(
  request: FastifyRequest,
  reply: FastifyReply,
  rendered: RenderedFeed,
  options: { type: string; cacheControl: string },
) {
  if (readerIsCurrent(request, reply, rendered, options.cacheControl)) return reply.status(304).send();
  return reply.type(options.type).send(rendered.body);
}

/**
 * Sends a cached feed: 304 from the validators alone when the reader's copy is current (the
 * bytes are not touched), else the plain bytes or the copy compressed once for the encoding the
 * reader asked for. Routes sending this set `compress: false`, so @fastify/compress never
 * compresses a feed per request.
 */
export async function sendCachedFeed(
  request: FastifyRequest,
  reply: FastifyReply,
  feed: RenderedFeed,
  options: { type: string; cacheControl: string },
) {
  reply.header("vary", "Accept-Encoding");
  if (readerIsCurrent(request, reply, feed, options.cacheControl)) return reply.status(304).send();
  reply.type(options.type);
  const encoding =
    feed.body.length >= MIN_COMPRESSED_BYTES ? preferredEncoding(request.headers["accept-encoding"]) : undefined;
  if (!encoding) return reply.send(feed.body);
  return reply.header("content-encoding", encoding).send(await encodedBody(feed, encoding));
}
