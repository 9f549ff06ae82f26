import { newId } from "@babelwire/core";
import type { Selectable } from "kysely";
import type { Db } from "./connect.ts";
import type { FullText, Review, SourcesTable } from "./schema.ts";

export type SourceRow = Selectable<SourcesTable>;

export interface NewSource {
  url: string;
  name?: string | undefined;
  language?: string | undefined;
  targets: string[];
  intervalSeconds?: number | undefined;
  review?: Review | undefined;
  /** Per target language, overriding `review`. */
  reviewByLanguage?: Record<string, Review> | undefined;
  fullText?: FullText | undefined;
}

export type SourcePatch = Partial<Omit<NewSource, "url">>;

export async function createSource(db: Db, input: NewSource): Promise<SourceRow> {
  return db
    .insertInto("sources")
    .values({
      id: newId(),
      url: input.url,
      name: input.name ?? input.url,
      language: input.language ?? "auto",
      targets: input.targets,
      interval_seconds: input.intervalSeconds ?? 300,
      review: input.review ?? "auto",
      review_languages: JSON.stringify(input.reviewByLanguage ?? {}),
      full_text: input.fullText ?? "auto",
      updated_at: new Date(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The review policy for one target language: its override, else the source's. */
export function reviewPolicy(source: Pick<SourceRow, "review" | "review_languages">, lang: string): Review {
  return source.review_languages?.[lang] ?? source.review;
}

export async function findSourceByUrl(db: Db, url: string): Promise<SourceRow | undefined> {
  return db.selectFrom("sources").selectAll().where("url", "=", url).executeTakeFirst();
}

export async function getSource(db: Db, id: string): Promise<SourceRow | undefined> {
  return db.selectFrom("sources").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function listSources(db: Db): Promise<SourceRow[]> {
  return db.selectFrom("sources").selectAll().orderBy("created_at").orderBy("id").execute();
}

export async function updateSource(db: Db, id: string, patch: SourcePatch): Promise<SourceRow | undefined> {
  return db
    .updateTable("sources")
    .set({
      updated_at: new Date(),
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.language !== undefined && { language: patch.language }),
      ...(patch.targets !== undefined && { targets: patch.targets }),
      ...(patch.intervalSeconds !== undefined && { interval_seconds: patch.intervalSeconds }),
      ...(patch.review !== undefined && { review: patch.review }),
      ...(patch.reviewByLanguage !== undefined && { review_languages: JSON.stringify(patch.reviewByLanguage) }),
      ...(patch.fullText !== undefined && { full_text: patch.fullText }),
    })
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteSource(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom("sources").where("id", "=", id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export interface PollSuccess {
  status: number;
  etag: string | null;
  lastModified: string | null;
  newItems: number;
  nextPollAt: Date;
  /** Left as they were when a 304 says nothing about the source's rhythm. */
  intervalSeconds?: number;
  medianGapSeconds?: number | null;
  quiet?: boolean;
  newestItemAt?: Date | null;
}

/** A successful poll clears the error state, as Miniflux resets its parsing error count. */
export async function recordPollSuccess(db: Db, id: string, poll: PollSuccess): Promise<void> {
  const now = new Date();
  await db
    .updateTable("sources")
    .set((eb) => ({
      last_fetched_at: now,
      last_success_at: now,
      last_status: poll.status,
      etag: poll.etag,
      last_modified: poll.lastModified,
      error_code: null,
      error_message: null,
      consecutive_errors: 0,
      next_poll_at: poll.nextPollAt,
      items_seen: eb("items_seen", "+", poll.newItems),
      ...(poll.intervalSeconds !== undefined && { poll_interval_seconds: poll.intervalSeconds }),
      ...(poll.medianGapSeconds !== undefined && {
        median_gap_seconds: poll.medianGapSeconds === null ? null : Math.round(poll.medianGapSeconds),
      }),
      ...(poll.quiet !== undefined && { quiet: poll.quiet }),
      ...(poll.newestItemAt !== undefined && { newest_item_at: poll.newestItemAt }),
    }))
    .where("id", "=", id)
    .execute();
}

export interface PollFailure {
  status: number | null;
  code: string;
  message: string;
  nextPollAt: Date;
}

export async function recordPollFailure(db: Db, id: string, failure: PollFailure): Promise<number> {
  const row = await db
    .updateTable("sources")
    .set((eb) => ({
      last_fetched_at: new Date(),
      last_status: failure.status,
      error_code: failure.code,
      error_message: failure.message.slice(0, 2000),
      consecutive_errors: eb("consecutive_errors", "+", 1),
      next_poll_at: failure.nextPollAt,
    }))
    .where("id", "=", id)
    .returning("consecutive_errors")
    .executeTakeFirst();
  return row?.consecutive_errors ?? 0;
}

/** Articles first seen in the last 24 hours, per source: how much a source publishes now. */
export async function countItemsLastDay(db: Db, sourceIds: readonly string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>(sourceIds.map((id) => [id, 0]));
  if (sourceIds.length === 0) return counts;
  const rows = await db
    .selectFrom("articles")
    .select(["source_id", (eb) => eb.fn.countAll<number>().as("n")])
    .where("source_id", "in", [...sourceIds])
    .where("first_seen_at", ">", new Date(Date.now() - 86_400_000))
    .groupBy("source_id")
    .execute();
  // pg counts as a string, PGlite as a number.
  for (const row of rows) counts.set(row.source_id, Number(row.n));
  return counts;
}
