import { normalizeLanguageTag } from "@babelwire/core";
import { type Db, findSourceByUrl, type SourceRow } from "@babelwire/db";
import { FeedError, readOpml } from "@babelwire/ingest";
import type { Queues } from "@babelwire/queue";
import { escapeXml } from "@babelwire/syndicate";
import { OperationError } from "../operation-error.ts";
import { checkNewSource } from "./check-source.ts";
import { addSource, type NewSourceOptions } from "./manage-sources.ts";
import { toNewSource } from "./source-input.ts";

/** Sources as OPML 2.0, the subscription list every feed reader imports (Miniflux, FreshRSS, …). */
export function renderOpml(rows: readonly SourceRow[], now: Date): string {
  const outlines = rows.map((row) => {
    const language = row.language === "auto" ? "" : ` language="${escapeXml(row.language)}"`;
    const name = escapeXml(row.name);
    return `    <outline type="rss" text="${name}" title="${name}" xmlUrl="${escapeXml(row.url)}"${language}/>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<opml version="2.0">',
    `  <head><title>Babelwire sources</title><dateCreated>${now.toUTCString()}</dateCreated></head>`,
    "  <body>",
    ...outlines,
    "  </body>",
    "</opml>",
    "",
  ].join("\n");
}

export interface ImportResult {
  added: SourceRow[];
  /** URLs already sources: left as they are. */
  existing: string[];
  /** Feeds that could not be added, with why (a FEED_* code, `unsupported_target`, …). */
  failed: Array<{ url: string; code: string; message: string }>;
}

/**
 * Adds every feed of an OPML file as a source, one at a time as `sources add` would (read
 * first unless `check` is false, targets checked). One feed failing does not stop the others;
 * the result says what happened to each.
 */
export async function importOpml(db: Db, queues: Queues | undefined, opml: string, options: NewSourceOptions) {
  let feeds: ReturnType<typeof readOpml>;
  try {
    feeds = readOpml(opml);
  } catch (error) {
    if (error instanceof FeedError) throw new OperationError("invalid_opml", error.message);
    throw error;
  }
  const result: ImportResult = { added: [], existing: [], failed: [] };
  for (const feed of feeds) {
    try {
      const language = feed.language ? normalizeLanguageTag(feed.language) : undefined;
      const input = toNewSource(
        { url: feed.url, ...(feed.title && { name: feed.title }), ...(language && { language }) },
        options.defaultTargets,
        options.fileRoots,
      );
      if (await findSourceByUrl(db, input.url)) {
        result.existing.push(input.url);
        continue;
      }
      const checked = await checkNewSource(input, { check: options.check, pairs: options.pairs });
      result.added.push(await addSource(db, queues, checked));
    } catch (error) {
      if (!(error instanceof OperationError)) throw error;
      if (error.code === "source_exists") result.existing.push(feed.url);
      else result.failed.push({ url: feed.url, code: error.code, message: error.message });
    }
  }
  return result;
}
