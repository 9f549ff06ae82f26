import { readFile, realpath, stat } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import { isPathInside } from "@babelwire/core";
import { FeedError } from "../feed-error.ts";
import type { FeedRequest, FetchedFeed, FetchSettings } from "./fetch-types.ts";
import { tooLarge } from "./read-body.ts";

/**
 * Reads an offline source. The file's modification time plays the part of Last-Modified, so
 * polling an unchanged file answers "not modified" like a well-behaved server would.
 */
export async function fetchFile(path: string, request: FeedRequest, settings: FetchSettings): Promise<FetchedFeed> {
  if (settings.fileRoots) await assertInsideRoots(path, settings.fileRoots);
  const finalUrl = pathToFileURL(path).href;
  const info = await stat(path).catch((error: unknown) => {
    throw fileError(error, path);
  });
  if (!info.isFile()) {
    throw new FeedError("FEED_FILE_UNREADABLE", `The feed path ${path} is not a file.`, { permanent: true });
  }
  if (info.size > settings.maxBytes) throw tooLarge(path, settings.maxBytes);
  const lastModified = info.mtime.toUTCString();
  if (request.lastModified === lastModified) {
    return { notModified: true, status: 304, etag: null, lastModified, finalUrl, cacheSeconds: null };
  }
  const bytes = await readFile(path, { signal: settings.signal }).catch((error: unknown) => {
    throw fileError(error, path);
  });
  return {
    notModified: false,
    status: 200,
    bytes,
    contentType: null,
    etag: null,
    lastModified,
    finalUrl,
    cacheSeconds: null,
  };
}

function fileError(error: unknown, path: string): unknown {
  if (error instanceof Error && error.name === "AbortError") return error;
  const code = typeof error === "object" && error !== null && "code" in error ? error.code : undefined;
  if (code === "ENOENT" || code === "ENOTDIR") {
    return new FeedError("FEED_FILE_NOT_FOUND", `The feed file ${path} does not exist.`, { cause: error });
  }
  return new FeedError("FEED_FILE_UNREADABLE", `The feed file ${path} could not be read.`, { cause: error });
}

/**
 * Refuses a path outside the allowed folders before touching it (so the answer says nothing of
 * what exists there), then again after following symbolic links, which may point anywhere.
 */
async function assertInsideRoots(path: string, roots: readonly string[]): Promise<void> {
  const refuse = () =>
    new FeedError("FEED_FILE_NOT_ALLOWED", "File sources may only read the feed files folder (FEED_FILES_DIR).", {
      permanent: true,
    });
  if (!roots.some((root) => isPathInside(root, path))) throw refuse();
  const real = await realpath(path).catch(() => path);
  const realRoots = await Promise.all(roots.map((root) => realpath(root).catch(() => root)));
  if (!realRoots.some((root) => isPathInside(root, real))) throw refuse();
}
