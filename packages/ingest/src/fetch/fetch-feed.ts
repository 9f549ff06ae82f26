import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { FeedError } from "../feed-error.ts";
import type { FeedRequest, FetchedFeed, FetchOptions } from "./fetch-types.ts";
import { fetchSettings } from "./fetch-types.ts";
import { fetchFile } from "./file-fetch.ts";
import { fetchHttp } from "./http-fetch.ts";

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/**
 * Fetches a feed's bytes from an http(s) URL, a file:// URL or a filesystem path. With
 * `allowPrivate: false` the URL is untrusted, and a local file is as private as it gets.
 */
export async function fetchFeed(request: FeedRequest, options: FetchOptions = {}): Promise<FetchedFeed> {
  const settings = fetchSettings(options);
  const target = request.url.trim();
  if (/^https?:/i.test(target)) return fetchHttp(request, parseHttpUrl(target), settings);
  if (SCHEME.test(target) && !/^file:/i.test(target)) {
    throw new FeedError("FEED_INVALID_URL", "Only http, https and file feed URLs are supported.", { permanent: true });
  }
  if (!settings.allowPrivate) {
    throw new FeedError("FEED_BLOCKED_ADDRESS", "Reading local files is not allowed for this URL.", {
      permanent: true,
    });
  }
  return fetchFile(/^file:/i.test(target) ? filePath(target) : resolve(target), request, settings);
}

function parseHttpUrl(target: string): URL {
  try {
    return new URL(target);
  } catch (error) {
    throw new FeedError("FEED_INVALID_URL", "The feed URL is not a valid URL.", { cause: error, permanent: true });
  }
}

function filePath(target: string): string {
  try {
    return fileURLToPath(target);
  } catch (error) {
    throw new FeedError("FEED_INVALID_URL", "The feed file URL is not a valid local file URL.", {
      cause: error,
      permanent: true,
    });
  }
}
