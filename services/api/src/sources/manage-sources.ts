import {
  createSource,
  type Db,
  deleteSource,
  findSourceByUrl,
  listLiveLanguagesOfSource,
  type NewSource,
  type SourcePatch,
  type SourceRow,
  sourceWorkIds,
  updateSource,
} from "@babelwire/db";
import { QUEUE_NAMES, type Queues } from "@babelwire/queue";
import type { FeedGenerations } from "../feed-cache/feed-generations.ts";
import { ApiError } from "../plugins/errors.ts";
import type { SourceInput } from "./source-input.ts";

/**
 * Stores a source and starts polling it: its schedule's first tick polls at once (one poll, not
 * a forced one besides). Without queues (a command while Redis is away) the ingestor's
 * reconciler schedules it when it runs. A URL already present is a conflict, not a duplicate.
 */
export async function addSource(db: Db, queues: Queues | undefined, input: NewSource): Promise<SourceRow> {
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
  await queues?.schedulePoll(row.id);
  return row;
}

/**
 * Deletes a source with its articles, stops its polls, and removes its failed jobs (polls,
 * extractions, translations, summaries, publications of its items): they name rows that no
 * longer exist, and would otherwise stay in the failed counts for good.
 */
export async function removeSource(db: Db, queues: Queues, id: string): Promise<boolean> {
  const owned = await sourceWorkIds(db, id);
  const removed = await deleteSource(db, id);
  if (!removed) return false;
  await queues.unschedulePoll(id);
  const ofSource = (data: Record<string, unknown>) =>
    [data.sourceId, data.articleId, data.translationId].some((value) => typeof value === "string" && owned.has(value));
  for (const name of QUEUE_NAMES) await queues.removeFailed(name, ofSource);
  return true;
}

/**
 * Changes a source's settings; pausing removes its poll schedule and resuming gives it back.
 * Without queues (a command while Redis is away) only the row changes: the ingestor's
 * reconciler schedules every source that is not paused, and a poll of a paused one stops at once.
 */
export async function changeSource(
  db: Db,
  queues: Queues | undefined,
  id: string,
  patch: SourcePatch,
): Promise<SourceRow | undefined> {
  const row = await updateSource(db, id, patch);
  if (row && queues && patch.paused !== undefined) {
    await (row.paused ? queues.unschedulePoll(id) : queues.schedulePoll(id));
  }
  return row;
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
