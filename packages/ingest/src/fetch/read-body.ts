import { pipeline, type Readable, type Transform } from "node:stream";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import { FeedError } from "../feed-error.ts";

/**
 * Reads a body into memory, decompressing it, and gives up as soon as the decompressed size
 * passes `maxBytes`: a 100 MB feed or a gzip bomb costs at most the cap, never the whole body.
 */
export async function readBody(
  body: Readable,
  contentEncoding: string | undefined,
  maxBytes: number,
  where: string,
): Promise<Buffer> {
  const stream = decompress(body, contentEncoding, where);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    total += buffer.length;
    if (total > maxBytes) {
      stream.destroy();
      body.destroy();
      throw tooLarge(where, maxBytes);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks, total);
}

export function tooLarge(where: string, maxBytes: number): FeedError {
  return new FeedError("FEED_TOO_LARGE", `The feed at ${where} is larger than the limit of ${maxBytes} bytes.`);
}

function decompress(body: Readable, contentEncoding: string | undefined, where: string): Readable {
  // Encodings are listed in the order they were applied, so they are undone last to first.
  const codings = (contentEncoding ?? "")
    .split(",")
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== "" && coding !== "identity")
    .reverse();
  let stream = body;
  for (const coding of codings) {
    const decoder = decoderFor(coding, where);
    // pipeline forwards errors from either side and destroys both when the reader stops early.
    stream = pipeline(stream, decoder, () => {});
  }
  return stream;
}

function decoderFor(coding: string, where: string): Transform {
  switch (coding) {
    case "gzip":
    case "x-gzip":
      return createGunzip();
    case "deflate":
      return createInflate();
    case "br":
      return createBrotliDecompress();
    default:
      throw new FeedError(
        "FEED_PARSE",
        `The response from ${where} uses the unsupported content encoding "${coding}".`,
      );
  }
}
