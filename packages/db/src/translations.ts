import { CodedError, newId, nextState, type TranslationAction, type TranslationState } from "@babelwire/core";
import type { Selectable, Updateable } from "kysely";
import type { Db } from "./connect.ts";
import type { QaFlag, Segment, TranslationEventsTable, TranslationsTable } from "./schema.ts";

export type TranslationRow = Selectable<TranslationsTable>;
export type TranslationEventRow = Selectable<TranslationEventsTable>;

/**
 * Makes sure a translation row exists for this article version and language. A newer article
 * version sends an existing translation back to `queued`; the same version twice is a no-op.
 */
export async function ensureTranslation(
  db: Db,
  articleId: string,
  lang: string,
  articleVersion: number,
): Promise<TranslationRow> {
  await db
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
        .where("translations.article_version", "<", articleVersion),
    )
    .execute();
  return db
    .selectFrom("translations")
    .selectAll()
    .where("article_id", "=", articleId)
    .where("lang", "=", lang)
    .executeTakeFirstOrThrow();
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

export interface MachineTranslation {
  title: string;
  summary: string;
  contentHtml: string;
  segments: Segment[];
  qa: QaFlag[];
  engine: string;
}

export interface TransitionOptions {
  actor: string;
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
    const from = current.status as TranslationState;
    const to = nextState(from, action);
    if (!to) throw new CodedError("illegal_transition", `Cannot ${action} a translation that is ${from}.`);
    const now = new Date();
    const set: Updateable<TranslationsTable> = { status: to, updated_at: now };
    if (options.machine) {
      Object.assign(set, {
        title: options.machine.title,
        summary: options.machine.summary,
        content_html: options.machine.contentHtml,
        segments: JSON.stringify(options.machine.segments),
        qa: JSON.stringify(options.machine.qa),
        engine: options.machine.engine,
        error_code: null,
        error_message: null,
      });
    }
    if (options.error) Object.assign(set, { error_code: options.error.code, error_message: options.error.message });
    if (to === "published" && from !== "published") set.published_at = now;
    const updated = await trx
      .updateTable("translations")
      .set((eb) => ({ ...set, version: eb("version", "+", 1) }))
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
        detail: JSON.stringify(options.detail ?? {}),
      })
      .execute();
    return updated;
  });
}

export interface FeedFilter {
  lang: string;
  sourceId?: string | undefined;
  category?: string | undefined;
  limit: number;
}

export interface PublishedItem {
  translationId: string;
  articleId: string;
  lang: string;
  title: string;
  summary: string;
  contentHtml: string;
  reviewed: boolean;
  publishedAt: Date;
  updatedAt: Date;
  articleUrl: string | null;
  articleGuid: string;
  articleLanguage: string;
  articlePublishedAt: Date;
  authors: string[];
  categories: string[];
  media: Array<{ url: string; type: string | null; caption: string | null }>;
  sourceId: string;
  sourceName: string;
}

/** Published translations in one language, newest first: what a partner feed shows. */
export async function listPublished(db: Db, filter: FeedFilter): Promise<PublishedItem[]> {
  let query = db
    .selectFrom("translations as t")
    .innerJoin("articles as a", "a.id", "t.article_id")
    .innerJoin("sources as s", "s.id", "a.source_id")
    .select([
      "t.id as translationId",
      "t.article_id as articleId",
      "t.lang",
      "t.title",
      "t.summary",
      "t.content_html as contentHtml",
      "t.published_at as publishedAt",
      "t.updated_at as updatedAt",
      "a.url as articleUrl",
      "a.guid as articleGuid",
      "a.language as articleLanguage",
      "a.published_at as articlePublishedAt",
      "a.authors",
      "a.categories",
      "a.media",
      "s.id as sourceId",
      "s.name as sourceName",
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
    .where("t.lang", "=", filter.lang)
    .where("t.status", "=", "published");
  if (filter.sourceId) query = query.where("s.id", "=", filter.sourceId);
  if (filter.category) {
    query = query.where((eb) => eb("a.categories", "@>", JSON.stringify([filter.category]) as never));
  }
  const rows = await query.orderBy("t.published_at", "desc").orderBy("t.id", "desc").limit(filter.limit).execute();
  return rows.map((row) => ({
    ...row,
    title: row.title ?? "",
    summary: row.summary ?? "",
    contentHtml: row.contentHtml ?? "",
    publishedAt: row.publishedAt ?? row.updatedAt,
    reviewed: Boolean(row.reviewed),
  }));
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
    .selectFrom("translations")
    .select(["article_id as articleId", "lang", "id as translationId"])
    .where("article_id", "in", [...new Set(articleIds)])
    .where("status", "=", "published")
    .orderBy("article_id")
    .orderBy("lang")
    .execute();
}
