import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";
import type { RenderedFeed } from "./rendered-feed.ts";

export type FeedEncoding = "br" | "gzip";

/** Bodies below this size go out as they are: a compressed copy would save less than its headers cost. */
export const MIN_COMPRESSED_BYTES = 1024;

/**
 * The encoding to send for an Accept-Encoding header (RFC 9110 §12.5.3): the acceptable one
 * with the highest q, brotli before gzip on a tie; none when the reader asks for neither, or
 * refuses both with q=0. `*` stands for any encoding not named.
 */
export function preferredEncoding(header: string | undefined): FeedEncoding | undefined {
  if (!header) return undefined;
  const quality = new Map<string, number>();
  for (const part of header.toLowerCase().split(",")) {
    const [name = "", ...params] = part.split(";").map((piece) => piece.trim());
    const q = params.find((param) => param.startsWith("q="));
    const value = q === undefined ? 1 : Number(q.slice(2));
    quality.set(name === "x-gzip" ? "gzip" : name, Number.isFinite(value) ? value : 0);
  }
  const any = quality.get("*") ?? 0;
  const br = quality.get("br") ?? any;
  const gz = quality.get("gzip") ?? any;
  if (br <= 0 && gz <= 0) return undefined;
  return br >= gz ? "br" : "gzip";
}

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

const compressors: Record<FeedEncoding, (body: Buffer) => Promise<Buffer>> = {
  // Once per rendering, off the event loop (zlib's thread pool): a slower, smaller setting pays.
  br: (body) =>
    brotli(body, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 9,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    }),
  gzip: (body) => gzipped(body, { level: 9 }),
};

/** Each rendering's compressed bodies, dropped with the rendering when the feed cache lets it go. */
const encoded = new WeakMap<RenderedFeed, Map<FeedEncoding, Promise<Buffer>>>();
/** The same once compressed, for readers that cannot wait on a promise (the fast feed path). */
const done = new WeakMap<RenderedFeed, Map<FeedEncoding, Buffer>>();

/** The feed's body in an encoding if it has been compressed already, else undefined. */
export function encodedBodyNow(feed: RenderedFeed, encoding: FeedEncoding): Buffer | undefined {
  return done.get(feed)?.get(encoding);
}

/**
 * The feed's body in an encoding, compressed on the first request for it and kept beside the
 * plain bytes: once per encoding per rendering (so per generation in each API process), never
 * per request. Concurrent first requests share one compression.
 */
export function encodedBody(feed: RenderedFeed, encoding: FeedEncoding): Promise<Buffer> {
  let variants = encoded.get(feed);
  if (!variants) {
    variants = new Map();
    encoded.set(feed, variants);
  }
  let body = variants.get(encoding);
  if (!body) {
    body = compressors[encoding](feed.body);
    variants.set(encoding, body);
    body.then(
      (bytes) => {
        const ready = done.get(feed) ?? new Map<FeedEncoding, Buffer>();
        ready.set(encoding, bytes);
        done.set(feed, ready);
      },
      () => {},
    );
    // A failure is not kept: the next request tries again.
    body.catch(() => variants.delete(encoding));
  }
  return body;
}
