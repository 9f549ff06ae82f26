import { CodedError } from "@babelwire/core";
import { FeedError } from "../feed-error.ts";
import { describeUrl } from "../fetch/describe-url.ts";
import type { FetchOptions } from "../fetch/fetch-types.ts";
import { fetchSettings } from "../fetch/fetch-types.ts";
import { fetchHttp } from "../fetch/http-fetch.ts";
import type { IsolatePool } from "../isolate/isolate-pool.ts";
import { type ReadablePage, readablePage } from "../isolate/isolated-steps.ts";
import { decodeHtml } from "./decode-html.ts";

export interface ExtractOptions extends FetchOptions {
  /** Cap on the page after decompression; 5 MiB unless given. */
  maxBytes?: number;
  /** Where Readability and the sanitizer run: worker threads under a time limit. In-process unless given. */
  isolate?: IsolatePool;
}

export interface ExtractedArticle {
  /** The page's URL after redirects. */
  url: string;
  title: string | null;
  /** Sanitized, with absolute links. */
  contentHtml: string;
  contentText: string;
  byline: string | null;
}

const PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1";
const DEFAULT_PAGE_BYTES = 5 * 1024 * 1024;

/**
 * Fetches an article's web page and returns its main content, sanitized. Links found in feeds
 * are hostile, so unless `allowPrivate` or `trustedOrigin` says otherwise only public addresses
 * are fetched, on every hop. Fails with the fetch's FEED_* codes, or EXTRACT_FAILED when the page has no content.
 */
export async function extractArticle(url: string, options: ExtractOptions = {}): Promise<ExtractedArticle> {
  const settings = {
    ...fetchSettings({ ...options, maxBytes: options.maxBytes ?? DEFAULT_PAGE_BYTES }),
    allowPrivate: options.allowPrivate ?? false,
    accept: PAGE_ACCEPT,
  };
  const fetched = await fetchHttp({ url }, pageUrl(url), settings);
  const finalUrl = new URL(fetched.finalUrl);
  // No validators were sent, so a 304 here is a broken server; there is nothing to read.
  if (fetched.notModified) throw extractFailed(finalUrl, "answered 304 to an unconditional request");
  const content = await mainContent(decodeHtml(fetched.bytes, fetched.contentType), finalUrl, options.isolate);
  const { html: contentHtml, text: contentText } = content.body;
  if (contentText === "") throw extractFailed(finalUrl, "has no article text");
  return { url: finalUrl.href, title: content.title, contentHtml, contentText, byline: content.byline };
}

/** Readability's main content, sanitized; a pool's own failures (time limit, crash) keep their codes. */
async function mainContent(html: string, url: URL, isolate: IsolatePool | undefined): Promise<ReadablePage> {
  let content: ReadablePage | null;
  try {
    content = isolate ? await isolate.run({ step: "readable", html, pageUrl: url.href }) : readablePage(html, url.href);
  } catch (error) {
    if (error instanceof CodedError) throw error;
    throw extractFailed(url, "could not be read as a document", error);
  }
  if (content === null) throw extractFailed(url, "has no main content");
  return content;
}

function pageUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch (error) {
    throw new FeedError("FEED_INVALID_URL", "The article URL is not a valid URL.", { cause: error, permanent: true });
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new FeedError("FEED_INVALID_URL", "Only http and https article URLs are fetched.", { permanent: true });
  }
  return parsed;
}

function extractFailed(url: URL, reason: string, cause?: unknown): CodedError {
  return new CodedError("EXTRACT_FAILED", `The article page at ${describeUrl(url)} ${reason}.`, {
    cause,
    permanent: true,
  });
}
