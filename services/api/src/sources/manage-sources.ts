import {
  createSource,
  type Db,
  deleteSource,
  findSourceByUrl,
  listLiveLanguagesOfSource,
  type NewSource,
  type SourceRow,
} from "@babelwire/db";
import type { Queues } from "@babelwire/queue";
import type { FeedGenerations } from "../feed-cache/feed-generations.ts";
import { ApiError } from "../plugins/errors.ts";
import type { SourceInput } from "./source-input.ts";

/** Stores a source and starts polling it. A URL already present is a conflict, not a duplicate. */
export async function addSource(db: Db, queues: Queues, input: NewSource): Promise<SourceRow> {
  if (await findSourceByUrl(db, input.url)) {
    throw new ApiError(409, "source_exists", `A source with url ${input.url} already exists.`, "url");
  }
  const row = await createSource(db, input).catch((error: unknown) => {
    // Two requests adding the same URL at once: the unique index decides.
    if ((error as { code?: string }).code === "23505") {
      throw new ApiError(409, "source_exists", `A source with url ${input.url} already exists.`, "url");
    }
    throw error;
  });
  await queues.schedulePoll(row.id);
  return row;
}

export async function removeSource(db: Db, queues: Queues, id: string): Promise<boolean> {
  const removed = await deleteSource(db, id);
  if (removed) await queues.unschedulePoll(id);
  return removed;
}

/** What RSS, Atom and JSON Feed items show of their source: the attribution and the rights. */
const SHOWN_IN_FEEDS = ["name", "usageTerms", "rightsUrl"] as const;

/**
 * After a change to a source has committed: when it touched what feeds show, every cached feed
 * in a language where the source has live items is dropped (ninjs is rendered per request and
 * needs nothing). The re-rendered feeds carry the source's edit time as Last-Modified, so a
 * reader's If-Modified-Since gets the new feed, not a 304.
 */
export async function invalidateFeedsOfSource(
  db: Db,
  generations: Pick<FeedGenerations, "bump">,
  sourceId: string,
  patch: SourceInput,
): Promise<void> {
  if (!SHOWN_IN_FEEDS.some((field) => patch[field] !== undefined)) return;
  for (const lang of await listLiveLanguagesOfSource(db, sourceId)) await generations.bump(lang);
}
