import { newId, redactUrl } from "@babelwire/core";
import { CompiledQuery, type Selectable } from "kysely";
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
  /** null clears it in a patch. */
  rightsUrl?: string | null | undefined;
  usageTerms?: string | null | undefined;
}

export type SourcePatch = Partial<Omit<NewSource, "url">> & { paused?: boolean | undefined };

export async function createSource(db: Db, input: NewSource): Promise<SourceRow> {
  return db
    .insertInto("sources")
    .values({
      id: newId(),
      url: input.url,
      // Until the feed names itself: the URL, without the credentials it may carry.
      name: input.name ?? redactUrl(input.url),
      language: input.language ?? "auto",
      targets: input.targets,
      interval_seconds: input.intervalSeconds ?? 300,
      review: input.review ?? "auto",
      review_languages: JSON.stringify(input.reviewByLanguage ?? {}),
      full_text: input.fullText ?? "auto",
      rights_url: input.rightsUrl ?? null,
      usage_terms: input.usageTerms ?? null,
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

/**
 * A source by id: the whole row, or only the named columns. A poll reads a dozen of the row's
 * two dozen columns every few minutes per source, and with embedded PGlite each column of a
 * result costs CPU to describe and decode.
 */
export async function getSource(db: Db, id: string): Promise<SourceRow | undefined>;
export async function getSource<K extends keyof SourceRow>(
  db: Db,
  id: string,
  columns: readonly K[],
): Promise<Pick<SourceRow, K> | undefined>;
export async function getSource(
  db: Db,
  id: string,
  columns?: readonly (keyof SourceRow)[],
): Promise<Partial<SourceRow> | undefined> {
  if (columns === undefined) return db.selectFrom("sources").selectAll().where("id", "=", id).executeTakeFirst();
  // Written out rather than built: polls run this all day, and the names are our own columns.
  const list = columns.map((column) => `"${column}"`).join(", ");
  const result = await db.executeQuery<Partial<SourceRow>>(
    CompiledQuery.raw(`select ${list} from "sources" where "id" = $1`, [id]),
  );
  return result.rows[0];
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
      ...(patch.rightsUrl !== undefined && { rights_url: patch.rightsUrl }),
      ...(patch.usageTerms !== undefined && { usage_terms: patch.usageTerms }),
      ...(patch.paused !== undefined && { paused: patch.paused }),
    })
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirst();
}

/** The ids a source's queued work names: its articles and their translations (read before deleting it). */
export async function sourceWorkIds(db: Db, id: string): Promise<Set<string>> {
  const articles = await db.selectFrom("articles").select("id").where("source_id", "=", id).execute();
  const translations = await db
    .selectFrom("translations as t")
    .innerJoin("articles as a", "a.id", "t.article_id")
    .select("t.id")
    .where("a.source_id", "=", id)
    .execute();
  return new Set([id, ...articles.map((row) => row.id), ...translations.map((row) => row.id)]);
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
  /**
   * Write only if the row is still as the poll last saw it: the `updated_at` every edit of the
   * source sets and the `next_poll_at` every poll sets. Lets a poller that remembers a source
   * between its polls skip reading it again, and still notice when someone else changed it.
   */
  unchangedSince?: { updatedAt: Date; nextPollAt: Date | null };
  /** Items of the feed that could not be stored: kept as the source's error, without counting as a failed poll. */
  itemError?: { code: string; message: string };
  /** The feed's fingerprint, once every item of it is stored and its work queued; left as it was when absent. */
  fingerprint?: string;
}

/**
 * A successful poll clears the error state, as Miniflux resets its parsing error count. The
 * statement is written out rather than built with Kysely: every poll of every source ends
 * here, most of them with a 304, and building the query cost more CPU than running it.
 * False when no row was written: the source is gone, or `unchangedSince` no longer holds.
 */
export async function recordPollSuccess(db: Db, id: string, poll: PollSuccess): Promise<boolean> {
  const now = new Date();
  const parameters: unknown[] = [id, now, poll.status, poll.etag, poll.lastModified, poll.nextPollAt];
  const assignments = [
    '"last_fetched_at" = $2',
    '"last_success_at" = $2',
    '"last_status" = $3',
    '"etag" = $4',
    '"last_modified" = $5',
    '"consecutive_errors" = 0',
    '"next_poll_at" = $6',
  ];
  const assign = (column: keyof SourceRow, value: unknown, expression = (parameter: string) => parameter) => {
    parameters.push(value);
    assignments.push(`"${column}" = ${expression(`$${parameters.length}`)}`);
  };
  // A success clears the last error, unless some of its items could not be stored.
  assign("error_code", poll.itemError?.code ?? null);
  assign("error_message", poll.itemError?.message ?? null);
  // A 304 adds nothing: no arithmetic for the database to do then.
  if (poll.newItems !== 0) assign("items_seen", poll.newItems, (parameter) => `"items_seen" + ${parameter}`);
  if (poll.intervalSeconds !== undefined) assign("poll_interval_seconds", poll.intervalSeconds);
  if (poll.medianGapSeconds !== undefined) {
    assign("median_gap_seconds", poll.medianGapSeconds === null ? null : Math.round(poll.medianGapSeconds));
  }
  if (poll.quiet !== undefined) assign("quiet", poll.quiet);
  if (poll.newestItemAt !== undefined) assign("newest_item_at", poll.newestItemAt);
  if (poll.fingerprint !== undefined) assign("feed_fingerprint", poll.fingerprint);
  let where = '"id" = $1';
  if (poll.unchangedSince !== undefined) {
    parameters.push(poll.unchangedSince.updatedAt, poll.unchangedSince.nextPollAt);
    const at = parameters.length;
    // To the millisecond, as JavaScript's Date holds them: a time written by now() has microseconds.
    where += ` and date_trunc('milliseconds', "updated_at") = $${at - 1}`;
    where += ` and date_trunc('milliseconds', "next_poll_at") is not distinct from $${at}`;
  }
  const result = await db.executeQuery(
    CompiledQuery.raw(`update "sources" set ${assignments.join(", ")} where ${where}`, parameters),
  );
  return Number(result.numAffectedRows ?? 0) > 0;
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

/**
 * Makes every source's next poll store each item again and queue its work, as if its feed had
 * changed: what a lost Redis dropped (an extract job, say) is then queued again by that poll.
 */
export async function forgetFeedFingerprints(db: Db): Promise<void> {
  await db.updateTable("sources").set({ feed_fingerprint: null }).where("feed_fingerprint", "is not", null).execute();
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
