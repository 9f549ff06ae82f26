import { createSource, type Db, deleteSource, findSourceByUrl, type NewSource, type SourceRow } from "@babelwire/db";
import type { Queues } from "@babelwire/queue";
import { ApiError } from "../plugins/errors.ts";

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
