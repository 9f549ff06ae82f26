import {
  createSource,
  type Db,
  deleteSource,
  findSourceByUrl,
  type NewSource,
  type SourcePatch,
  type SourceRow,
  sourceWorkIds,
  updateSource,
} from "@babelwire/db";
import { QUEUE_NAMES, type Queues } from "@babelwire/queue";
import { OperationError } from "../operation-error.ts";
import { checkNewSource, type SourceCheckOptions } from "./check-source.ts";
import { type SourceInput, toNewSource } from "./source-input.ts";

export interface NewSourceOptions extends SourceCheckOptions {
  /** TARGET_LANGUAGES, for a source that names none. */
  defaultTargets: string[];
  /** Where a file source may read (feedFileRoots). */
  fileRoots: readonly string[];
}

/**
 * A source as an operator gives it (POST /v1/sources, `sources add`), ready for addSource:
 * validated, read once unless `check` is false (a web page becomes its feed), its targets checked
 * against the engines. Nothing is stored yet, so the CLI asks Redis only for a source it can add.
 */
export async function prepareNewSource(input: SourceInput, options: NewSourceOptions): Promise<NewSource> {
  return checkNewSource(toNewSource(input, options.defaultTargets, options.fileRoots), options);
}

/**
 * Stores a source and starts polling it: its schedule's first tick polls at once (one poll, not
 * a forced one besides). Without queues (a command while Redis is away) the ingestor's
 * reconciler schedules it when it runs. A URL already present is a conflict, not a duplicate.
 */
export async function addSource(db: Db, queues: Queues | undefined, input: NewSource): Promise<SourceRow> {
  if (await findSourceByUrl(db, input.url)) {
    throw new OperationError("source_exists", `A source with url ${input.url} already exists.`, "url");
  }
  const row = await createSource(db, input).catch((error: unknown) => {
    // Two requests adding the same URL at once: the unique index decides.
    if ((error as { code?: string }).code === "23505") {
      throw new OperationError("source_exists", `A source with url ${input.url} already exists.`, "url");
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
