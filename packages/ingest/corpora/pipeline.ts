import type { NormalizedArticle } from "@babelwire/core";
import { decodeFeed, FeedError, normalizeItems, type ParsedFeed, parseFeed } from "../src/index.ts";

/** What the suite asks of the ingest pipeline: bytes of a file, or a text already decoded. */
export type PipelineJob =
  | { kind: "bytes"; bytes: Uint8Array; contentType: string | null; feedUrl: string }
  | { kind: "text"; text: string; feedUrl: string };

export type PipelineOutcome =
  | { status: "ok"; decoded: string; feed: ParsedFeed; articles: NormalizedArticle[] }
  /** A FeedError: the pipeline refused the document with a stable code. */
  | { status: "refused"; code: string; message: string }
  /** Anything else thrown: a bug. */
  | { status: "crashed"; message: string }
  | { status: "timed-out"; message: string };

// Fixed so that "now" fallbacks are recognisable and results do not depend on the clock.
export const FALLBACK_NOW = new Date("2000-01-01T00:00:00.000Z");

/** decode → parse → normalize (which sanitizes), exactly as readFeed chains them. */
export async function runPipeline(job: PipelineJob): Promise<PipelineOutcome> {
  try {
    const decoded = job.kind === "bytes" ? decodeFeed(Buffer.from(job.bytes), job.contentType) : job.text;
    const feed = await parseFeed(decoded, { url: job.feedUrl });
    const articles = normalizeItems({ feedUrl: job.feedUrl, feed, now: FALLBACK_NOW });
    return { status: "ok", decoded, feed, articles };
  } catch (error) {
    if (error instanceof FeedError) return { status: "refused", code: error.code, message: error.message };
    return { status: "crashed", message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
}
