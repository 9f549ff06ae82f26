import {
  CodedError,
  editRate,
  type MachineTranslation,
  newId,
  nextState,
  type PublishedItem,
  TRANSLATION_STATES,
  type TranslationAction,
  type TranslationState,
} from "@babelwire/core";
import { type Selectable, sql, type Updateable } from "kysely";
import type { Db } from "./connect.ts";
import type { MachineDraft, TranslationEventsTable, TranslationsTable } from "./schema.ts";

export type TranslationRow = Selectable<TranslationsTable>;
export type TranslationEventRow = Selectable<TranslationEventsTable>;

/**
 * Makes sure a translation row exists for this article version and language. A newer article
 * version sends an existing translation back to `queued`; the same version twice is a no-op.
 * A withdrawn translation stays withdrawn whatever the feed does later: only an editor's
 * reinstatement brings it back (AP's rule that a killed item stays killed).
 */
export async function ensureTranslation(
  db: Db,
  articleId: string,
  lang: string,
  articleVersion: number,
): Promise<TranslationRow> {
  // One statement: the row the upsert wrote, else (left as it was) the row as it stands.
  const ensured = await db
    .with("ensured", (qb) =>
      qb
        .insertInto("translations")
        .values({
          id: newId(),
          article_id: articleId,
          lang,
          article_version: articleVersion,
          status: "queued",
          segments: "[]",
          qa: "[]",
          updated_at: new Date(),
        })
        .onConflict((oc) =>
          oc
            .columns(["article_id", "lang"])
            .doUpdateSet({ status: "queued", article_version: articleVersion, updated_at: new Date() })
            .where("translations.article_version", "<", articleVersion)
            .where("translations.status", "<>", "withdrawn"),
        )
        .returningAll(),
    )
    .selectFrom("ensured")
    .selectAll()
    .unionAll((qb) =>
      qb
        .selectFrom("translations")
        .selectAll()
        .where("article_id", "=", articleId)
        .where("lang", "=", lang)
        .where((eb) => eb.not(eb.exists(eb.selectFrom("ensured").select("ensured.id")))),
    )
    .executeTakeFirst();
  // A row another transaction inserted after this statement began is newer than its snapshot:
  // read it with a new one.
  return (
    (ensured as TranslationRow | undefined) ??
    db
      .selectFrom("translations")
      .selectAll()
      .where("article_id", "=", articleId)
      .where("lang", "=", lang)
      .executeTakeFirstOrThrow()
  );
}

export async function getTranslation(db: Db, id: string): Promise<TranslationRow | undefined> {
  return db.selectFrom("translations").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function listTranslationEvents(db: Db, translationId: string): Promise<TranslationEventRow[]> {
  return db
    .selectFrom("translation_events")
    .selectAll()
    .where("translation_id", "=", translationId)
    .orderBy("at")
    .orderBy("id")
    .execute();
}

export type { MachineTranslation };

export interface EditorPatch {
  title?: string | undefined;
  summary?: string | undefined;
  /** Segment id → corrected target. */
  segments?: Record<string, string> | undefined;
  /** The body rebuilt from the segments' targets (the caller knows how blocks join). */
  rebuildBody?: ((targets: string[]) => string) | undefined;
}

export interface TransitionOptions {
  actor: string;
  edit?: EditorPatch | undefined;
  /** Reject the move unless the row is still at this edit version (optimistic locking). */
  expectedVersion?: number | undefined;
  machine?: MachineTranslation | undefined;
  error?: { code: string; message: string } | undefined;
  detail?: Record<string, unknown> | undefined;
}

/**
 * Moves a translation along the state machine of @babelwire/core, in one transaction with its
 * history entry. An illegal move throws `illegal_transition` naming the current state.
 */
export async function transitionTranslation(
  db: Db,
  id: string,
  action: TranslationAction,
  options: TransitionOptions,
): Promise<TranslationRow> {
  return db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom("translations")
      .selectAll()
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirst();
    if (!current) throw new CodedError("not_found", `No translation ${id}.`);
    if (options.expectedVersion !== undefined && options.expectedVersion !== current.version) {
      throw new CodedError("stale_version", `The translation is at version ${current.version}.`);
    }
    const from = current.status;
    const to = nextState(from, action);
    if (!to) throw new CodedError("illegal_transition", `Cannot ${action} a translation that is ${from}.`);
    const now = new Date();
    const set: Updateable<TranslationsTable> = { status: to, updated_at: now };
    if (options.machine) Object.assign(set, machineColumns(options.machine));
    if (options.error) Object.assign(set, { error_code: options.error.code, error_message: options.error.message });
    if (options.edit) Object.assign(set, applyEdit(current, options.edit));
    if (action === "reinstate") {
      // The snapshot partners last read comes back unchanged, announced as a new publication.
      Object.assign(set, { published_at: now, live_version: current.version + 1, live_at: now });
    } else if (to === "published" && from !== "published") {
      set.published_at ??= current.published_at ?? now;
      // The snapshot partners read; it stays as it is while a newer version waits for review.
      Object.assign(set, {
        live_title: set.title ?? current.title,
        live_summary: set.summary ?? current.summary,
        live_content_html: set.content_html ?? current.content_html,
        // What partners see as the item's version: 1 on its first delivery, one more per change they get.
        live_version: (current.live_version ?? 0) + 1,
        live_at: now,
      });
    }
    if (to === "withdrawn" && current.live_at) {
      set.live_at = now;
      set.live_version = (current.live_version ?? 0) + 1;
    }
    if (to === "in_review" && from !== "in_review") set.review_since = now;
    // What an editor's decision says about the engine, kept with the decision for the quality report.
    let detail = options.detail ?? {};
    if (options.actor !== SYSTEM && (action === "approve" || action === "reject")) {
      detail = { ...detail, engine: current.engine };
      if (action === "approve" && current.machine_draft) {
        set.edit_rate = editRate(editedPairs(current.machine_draft, current));
        detail = { ...detail, editRate: set.edit_rate };
      }
    }
    const updated = await trx
      .updateTable("translations")
      .set((eb) => ({
        ...set,
        version: eb("version", "+", 1),
        // Its place in the `changes` order is this transaction's (see listPublished).
        ...(set.live_at !== undefined && { change_xid: sql<string>`pg_current_xact_id()` }),
      }))
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx
      .insertInto("translation_events")
      .values({
        id: newId(),
        translation_id: id,
        actor: options.actor,
        action,
        from_status: from,
        to_status: to,
        detail: JSON.stringify(detail),
      })
      .execute();
    return updated;
  });
}

/** Who acts for the pipeline itself: its approvals are policy, not an editor's judgement. */
const SYSTEM = "system";

/** The columns a machine translation fills, clearing an earlier run's error and an editor's rate. */
export function machineColumns(machine: MachineTranslation): Updateable<TranslationsTable> {
  return {
    title: machine.title,
    summary: machine.summary,
    content_html: machine.contentHtml,
    segments: JSON.stringify(machine.segments),
    qa: JSON.stringify(machine.qa),
    engine: machine.engine,
    error_code: null,
    error_message: null,
    machine_draft: JSON.stringify(machineDraft(machine)),
    edit_rate: null,
  };
}

/** The machine's text beside the text being approved, field by field. */
function editedPairs(draft: MachineDraft, row: TranslationRow) {
  const targets = new Map(row.segments.map((segment) => [segment.id, segment.target]));
  return [
    { machine: draft.title, approved: row.title ?? "" },
    { machine: draft.summary, approved: row.summary ?? "" },
    ...draft.segments.map((segment) => ({ machine: segment.target, approved: targets.get(segment.id) ?? "" })),
  ];
}

function machineDraft(machine: MachineTranslation): MachineDraft {
  return {
    title: machine.title,
    summary: machine.summary,
    segments: machine.segments.map(({ id, target }) => ({ id, target })),
    engine: machine.engine,
    glossary: machine.glossary ?? [],
  };
}

/** The columns an editor's patch changes; unknown segment ids are refused. */
function applyEdit(current: TranslationRow, edit: EditorPatch): Updateable<TranslationsTable> {
  const set: Updateable<TranslationsTable> = {};
  if (edit.title !== undefined) set.title = edit.title;
  if (edit.summary !== undefined) set.summary = edit.summary;
  if (edit.segments) {
    const known = new Set(current.segments.map((segment) => segment.id));
    const unknown = Object.keys(edit.segments).filter((id) => !known.has(id));
    if (unknown.length > 0)
      throw new CodedError("unknown_segment", `No segment ${unknown.join(", ")} in this translation.`);
    const patched = current.segments.map((segment) => {
      const target = edit.segments?.[segment.id];
      if (target === undefined || target === segment.target) return segment;
      // The editor's words now, wherever the old ones came from.
      const { memory: _from, ...rest } = segment;
      return { ...rest, target, edited: true };
    });
    set.segments = JSON.stringify(patched);
    if (edit.rebuildBody) set.content_html = edit.rebuildBody(patched.map((segment) => segment.target));
  }
  return set;
}

export interface ReviewFilter {
  lang?: string | undefined;
  status: TranslationState;
  sourceId?: string | undefined;
  /** Only translations carrying a QA flag with this code. */
  qaCode?: string | undefined;
  limit: number;
  /** Continue after this (updated_at, id), oldest first. */
  after?: { at: Date; id: string } | undefined;
}

/** Translations waiting for an editor, oldest first, with what an editor needs to pick one. */
export async function listForReview(db: Db, filter: ReviewFilter) {
  let query = db
    .selectFrom("translations as t")
    .innerJoin("articles as a", "a.id", "t.article_id")
    .innerJoin("sources as s", "s.id", "a.source_id")
    .select([
      "t.id",
      "t.article_id as articleId",
      "t.lang",
      "t.status",
      "t.version",
      "t.title",
      "t.qa",
      "t.engine",
      "t.error_code as errorCode",
      "t.error_message as errorMessage",
      sql<Date>`coalesce(t.review_since, t.updated_at)`.as("waitingSince"),
      "a.title as articleTitle",
      "s.name as sourceName",
      "a.source_id as sourceId",
      "a.language as sourceLanguage",
    ])
    .where("t.status", "=", filter.status);
  if (filter.lang) query = query.where("t.lang", "=", filter.lang);
  if (filter.sourceId) query = query.where("a.source_id", "=", filter.sourceId);
  if (filter.qaCode) {
    query = query.where((eb) => eb("t.qa", "@>", JSON.stringify([{ code: filter.qaCode }]) as never));
  }
  // Waiting since it went to review; rows from before that was recorded (or in other states) by their last change.
  const since = sql<Date>`coalesce(t.review_since, t.updated_at)`;
  const after = filter.after;
  if (after) {
    query = query.where(sql<boolean>`(${since}, t.id) > (${after.at}::timestamptz, ${after.id}::uuid)`);
  }
  return query.orderBy(since).orderBy("t.id").limit(filter.limit).execute();
}

/** How many translations wait for review, per language. */
export async function countForReview(db: Db, status: TranslationState = "in_review"): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom("translations")
    .select(["lang", (eb) => eb.fn.countAll<number>().as("n")])
    .where("status", "=", status)
    .groupBy("lang")
    .execute();
  // PGlite returns count(*) as a number, node-postgres as a string.
  return Object.fromEntries(rows.map((row) => [row.lang, Number(row.n)]));
}

export interface FeedFilter {
  /** One language; leave it out only with `articleId`, to get every language version of one article. */
  lang?: string | undefined;
  sourceId?: string | undefined;
  /** Only these sources (a partner's licence); an empty list matches nothing. */
  sourceIds?: readonly string[] | undefined;
  /** Matched without regard to case: partners type `politics` for an agency's `Politics`. */
  category?: string | undefined;
  /** Only the first published item of each story (the same wire copy through several sources). */
  dedupeStory?: boolean | undefined;
  articleId?: string | undefined;
  limit: number;
  /** Withdrawn translations too: a partner that syncs or reads one item must hear of withdrawals. */
  withdrawn?: boolean | undefined;
  /**
   * `newest` (feeds: newest published first) or `changes` (sync: oldest change first, after
   * `after` and `since`; see ChangePosition for why it never skips a change).
   */
  order?: "newest" | "changes";
  /** Continue the `changes` order after this item. */
  after?: ChangePosition | undefined;
  /** Only changes after this instant. */
  since?: Date | undefined;
}

/**
 * An item's place in the `changes` order: the id of the transaction that made the change, then
 * `live_at` in microseconds (a Date would round away what PostgreSQL keeps) and the id.
 *
 * Ordering by time could skip a change: a writer stamps `live_at` before it commits, so a
 * slower transaction can commit a row older than one a reader has already passed. Transaction
 * ids do not have that gap: the order shows only changes of transactions older than every one
 * still running (`pg_snapshot_xmin`), and any transaction that commits later has a larger id
 * than all of those. A change is readable as soon as the transactions begun before its own have
 * ended, normally at once; a long transaction holds later changes back, never loses them.
 */
export interface ChangePosition {
  /** A transaction id (xid8) as decimal text; 0 for changes made before this order existed. */
  changeXid: string;
  updatedAtMicros: string;
  id: string;
}

const micros = sql<string>`(extract(epoch from t.live_at) * 1000000)::bigint::text`;

function fromMicros(value: string) {
  return sql<Date>`(timestamptz 'epoch' + ${value}::bigint * interval '1 microsecond')`;
}

/**
 * Published translations, newest first (what a partner feed shows), or with `order: "changes"`
 * every change oldest first (what a partner that syncs reads page by page).
 */
export async function listPublished(db: Db, filter: FeedFilter): Promise<PublishedItem[]> {
  let query = db
    .selectFrom("translations as t")
    .innerJoin("articles as a", "a.id", "t.article_id")
    .innerJoin("sources as s", "s.id", "a.source_id")
    .select([
      "t.id as translationId",
      "t.article_id as articleId",
      "t.lang",
      // The article's withdrawal decides, even over a language version a crash left live.
      sql<string>`case when a.withdrawn_at is not null then 'withdrawn' else t.status end`.as("status"),
      // The live snapshot: what was last published stays what partners read while a newer
      // version of the article waits for translation or review.
      "t.live_version as version",
      "t.live_title as title",
      "t.live_summary as summary",
      "t.live_content_html as contentHtml",
      "t.published_at as publishedAt",
      "t.live_at as updatedAt",
      micros.as("updatedAtMicros"),
      sql<string>`t.change_xid::text`.as("changeXid"),
      "a.url as articleUrl",
      "a.guid as articleGuid",
      "a.language as articleLanguage",
      "a.published_at as articlePublishedAt",
      "a.authors",
      "a.categories",
      "a.media",
      sql<string>`coalesce(a.story_id, a.id)::text`.as("storyId"),
      "s.id as sourceId",
      "s.name as sourceName",
      "s.updated_at as sourceUpdatedAt",
      "s.rights_url as rightsUrl",
      "s.usage_terms as usageTerms",
    ])
    .select((eb) =>
      eb
        .exists(
          eb
            .selectFrom("translation_events as e")
            .select("e.id")
            .whereRef("e.translation_id", "=", "t.id")
            .where("e.action", "=", "approve")
            .where("e.actor", "<>", "system"),
        )
        .as("reviewed"),
    )
    .where("t.live_at", "is not", null);
  if (!filter.withdrawn) query = query.where("t.status", "<>", "withdrawn").where("a.withdrawn_at", "is", null);
  if (filter.lang !== undefined) query = query.where("t.lang", "=", filter.lang);
  if (filter.sourceId) query = query.where("s.id", "=", filter.sourceId);
  if (filter.sourceIds) {
    const ids = [...filter.sourceIds];
    query = ids.length > 0 ? query.where("s.id", "in", ids) : query.where(sql<boolean>`false`);
  }
  if (filter.category) {
    const category = filter.category.toLowerCase();
    query = query.where(
      sql<boolean>`exists (select 1 from jsonb_array_elements_text(a.categories) as c(name) where lower(c.name) = ${category})`,
    );
  }
  if (filter.dedupeStory) query = query.where(firstOfStory(filter.sourceIds));
  if (filter.articleId) query = query.where("t.article_id", "=", filter.articleId);
  if (filter.order === "changes") {
    const after = filter.after;
    if (after) {
      // A row comparison, so the (lang, change_xid, live_at, id) index answers it as one range.
      query = query.where(
        sql<boolean>`(t.change_xid, t.live_at, t.id) > (${after.changeXid}::xid8, ${fromMicros(after.updatedAtMicros)}, ${after.id}::uuid)`,
      );
    }
    if (filter.since) query = query.where("t.live_at", ">", filter.since);
    // Only transactions older than every one still running: none of those can commit later.
    query = query.where(sql<boolean>`t.change_xid < pg_snapshot_xmin(pg_current_snapshot())`);
  }
  const ordered =
    filter.order === "changes"
      ? query.orderBy("t.change_xid").orderBy("t.live_at").orderBy("t.id")
      : query.orderBy("t.published_at", "desc").orderBy("t.id", "desc");
  const rows = await ordered.limit(filter.limit).execute();
  return rows.map((row) => {
    // live_at is set whenever live_version is (the query asks for live rows only).
    const updatedAt = row.updatedAt ?? new Date(0);
    return {
      ...row,
      version: row.version ?? 0,
      title: row.title ?? "",
      summary: row.summary ?? "",
      contentHtml: row.contentHtml ?? "",
      updatedAt,
      publishedAt: row.publishedAt ?? updatedAt,
      reviewed: Boolean(row.reviewed),
    };
  });
}

export interface EngineQuality {
  engine: string;
  from: string;
  to: string;
  /** Decisions editors made: approvals and rejections. */
  items: number;
  approved: number;
  /** Mean edit rate of the approvals (null when none). */
  meanEditRate: number | null;
  /** Share of the approvals with no edit (null when none). */
  approvedUnchanged: number | null;
  rejected: number;
}

/**
 * Per engine and language pair, what editors did with its output: approved it (and how much
 * they edited first) or rejected it. Read from the decisions' history, so it covers every
 * version an editor decided on, corrections included; the pipeline's own approvals are not
 * editors' judgements and are left out.
 */
export async function engineQuality(
  db: Db,
  filter: { from?: string | undefined; to?: string | undefined; since?: Date | undefined },
): Promise<EngineQuality[]> {
  const from = sql<string>`split_part(lower(a.language), '-', 1)`;
  const engine = sql<string>`e.detail->>'engine'`;
  const rate = sql<number>`(e.detail->>'editRate')::double precision`;
  let query = db
    .selectFrom("translation_events as e")
    .innerJoin("translations as t", "t.id", "e.translation_id")
    .innerJoin("articles as a", "a.id", "t.article_id")
    .select([
      engine.as("engine"),
      from.as("from"),
      "t.lang as to",
      sql<string>`count(*)`.as("items"),
      sql<string>`count(*) filter (where e.action = 'approve')`.as("approved"),
      sql<number | null>`avg(${rate}) filter (where e.action = 'approve')`.as("meanEditRate"),
      sql<string>`count(*) filter (where e.action = 'approve' and ${rate} = 0)`.as("unchanged"),
      sql<string>`count(*) filter (where e.action = 'reject')`.as("rejected"),
    ])
    .where("e.action", "in", ["approve", "reject"])
    .where("e.actor", "<>", SYSTEM)
    .where(sql<boolean>`e.detail->>'engine' is not null`);
  if (filter.from) query = query.where(from, "=", filter.from.toLowerCase().split("-")[0] ?? "");
  if (filter.to) query = query.where("t.lang", "=", filter.to);
  if (filter.since) query = query.where("e.at", ">=", filter.since);
  const rows = await query.groupBy([engine, from, "t.lang"]).orderBy(engine).orderBy(from).orderBy("t.lang").execute();
  // node-postgres gives counts as strings (bigint), PGlite as numbers.
  return rows.map((row) => {
    const approved = Number(row.approved);
    return {
      engine: row.engine,
      from: row.from,
      to: row.to,
      items: Number(row.items),
      approved,
      meanEditRate: row.meanEditRate === null ? null : Number(row.meanEditRate),
      approvedUnchanged: approved > 0 ? Number(row.unchanged) / approved : null,
      rejected: Number(row.rejected),
    };
  });
}

/**
 * No live item of the same story in the same language was published before this one (within the
 * reader's sources: a partner licensed for the second source still gets the story once).
 */
function firstOfStory(sourceIds: readonly string[] | undefined) {
  const inSources = sourceIds && sourceIds.length > 0 ? sql`and a2.source_id in (${sql.join([...sourceIds])})` : sql``;
  // By story_id (indexed), then the story's few articles' translations by (article_id, lang):
  // a lookup per row, not a scan. An article without a story (never linked) is a story of its own.
  return sql<boolean>`not exists (
    select 1 from articles a2 join translations t2 on t2.article_id = a2.id and t2.lang = t.lang
    where a2.story_id = a.story_id and a2.id <> a.id
      and t2.live_at is not null and t2.status <> 'withdrawn' and a2.withdrawn_at is null ${inSources}
      and (t2.published_at, t2.id) < (t.published_at, t.id))`;
}

export interface PublishedVersion {
  articleId: string;
  lang: string;
  translationId: string;
}

/** Every published language version of these articles: how a feed links an item to its other languages. */
export async function listPublishedVersions(db: Db, articleIds: readonly string[]): Promise<PublishedVersion[]> {
  if (articleIds.length === 0) return [];
  return db
    .selectFrom("translations as t")
    .innerJoin("articles as a", "a.id", "t.article_id")
    .select(["t.article_id as articleId", "t.lang", "t.id as translationId"])
    .where("t.article_id", "in", [...new Set(articleIds)])
    .where("t.live_at", "is not", null)
    .where("t.status", "<>", "withdrawn")
    .where("a.withdrawn_at", "is", null)
    .orderBy("t.article_id")
    .orderBy("t.lang")
    .execute();
}

/** The languages in which some item of the source is live: the feeds its name and terms appear in. */
export async function listLiveLanguagesOfSource(db: Db, sourceId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("translations as t")
    .innerJoin("articles as a", "a.id", "t.article_id")
    .select("t.lang")
    .distinct()
    .where("a.source_id", "=", sourceId)
    .where("t.live_at", "is not", null)
    .orderBy("t.lang")
    .execute();
  return rows.map((row) => row.lang);
}

/** Translations per state, every state present (a state with none reads 0 rather than vanishing). */
export async function countTranslationsByState(db: Db): Promise<Record<TranslationState, number>> {
  const rows = await db
    .selectFrom("translations")
    .select((eb) => ["status", eb.fn.countAll().as("count")])
    .groupBy("status")
    .execute();
  const counts = Object.fromEntries(TRANSLATION_STATES.map((state) => [state, 0])) as Record<TranslationState, number>;
  // PGlite gives the count as a number, node-postgres as a string (bigint).
  for (const row of rows) counts[row.status as TranslationState] = Number(row.count);
  return counts;
}

/**
 * Translations whose next job may have been lost with Redis: waiting for the engine, approved
 * and waiting to be published, or `translating` for so long (15 minutes) that its worker is gone.
 */
export async function listPendingTranslations(
  db: Db,
): Promise<Array<Pick<TranslationRow, "id" | "article_id" | "article_version" | "lang" | "status">>> {
  return db
    .selectFrom("translations as t")
    .innerJoin("articles as a", "a.id", "t.article_id")
    .select(["t.id", "t.article_id", "t.article_version", "t.lang", "t.status"])
    .where((eb) =>
      eb.or([
        eb("t.status", "in", ["queued", "approved"]),
        eb.and([eb("t.status", "=", "translating"), eb("t.updated_at", "<", sql<Date>`now() - interval '15 minutes'`)]),
      ]),
    )
    .execute();
}
