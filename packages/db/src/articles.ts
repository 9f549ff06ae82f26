import { type NormalizedArticle, newId } from "@babelwire/core";
import { type Selectable, sql } from "kysely";
import type { Db } from "./connect.ts";
import type { ArticlesTable, SourcesTable } from "./schema.ts";

export type ArticleRow = Selectable<ArticlesTable>;

export type UpsertOutcome = "new" | "updated" | "unchanged";

/**
 * Stores an article under its (source, GUID) key. The same content twice changes nothing;
 * changed content under the same key becomes the next version. One statement, so two
 * pollers racing on the same item still produce one row.
 */
export async function upsertArticle(
  db: Db,
  sourceId: string,
  article: NormalizedArticle,
): Promise<{ id: string; version: number; outcome: UpsertOutcome; withdrawn: boolean; extracted: boolean }> {
  const values = {
    id: newId(),
    source_id: sourceId,
    guid: article.guid,
    url: article.url,
    title: article.title,
    summary: article.summary,
    content_html: article.contentHtml,
    content_text: article.contentText,
    language: article.language,
    published_at: article.publishedAt,
    updated_at: article.updatedAt,
    authors: JSON.stringify(article.authors),
    categories: JSON.stringify(article.categories),
    media: JSON.stringify(article.media),
    content_hash: article.contentHash,
    changed_at: new Date(),
  };
  // One statement: the row the upsert wrote, else (the same content) the row as it stands.
  const row = await db
    .with("written", (qb) =>
      qb
        .insertInto("articles")
        .values(values)
        .onConflict((oc) =>
          oc
            .columns(["source_id", "guid"])
            .doUpdateSet((eb) => ({
              url: eb.ref("excluded.url"),
              title: eb.ref("excluded.title"),
              summary: eb.ref("excluded.summary"),
              content_html: eb.ref("excluded.content_html"),
              content_text: eb.ref("excluded.content_text"),
              language: eb.ref("excluded.language"),
              updated_at: eb.ref("excluded.updated_at"),
              authors: eb.ref("excluded.authors"),
              categories: eb.ref("excluded.categories"),
              media: eb.ref("excluded.media"),
              content_hash: eb.ref("excluded.content_hash"),
              changed_at: sql`now()`,
              version: sql`articles.version + 1`,
              extracted_at: null,
              extract_error: null,
            }))
            .where("articles.content_hash", "<>", (eb) => eb.ref("excluded.content_hash")),
        )
        .returning(["id", "version", "withdrawn_at", "extracted_at"]),
    )
    .selectFrom("written")
    .select(["id", "version", "withdrawn_at", "extracted_at", sql<boolean>`true`.as("wrote")])
    .unionAll((qb) =>
      qb
        .selectFrom("articles")
        .select(["id", "version", "withdrawn_at", "extracted_at", sql<boolean>`false`.as("wrote")])
        .where("source_id", "=", sourceId)
        .where("guid", "=", article.guid)
        .where((eb) => eb.not(eb.exists(eb.selectFrom("written").select("written.id")))),
    )
    .executeTakeFirst();
  // A row another transaction inserted after this statement began is newer than its snapshot:
  // read it with a new one.
  const { wrote, withdrawn_at, extracted_at, ...stored } =
    row ??
    (await db
      .selectFrom("articles")
      .select(["id", "version", "withdrawn_at", "extracted_at", sql<boolean>`false`.as("wrote")])
      .where("source_id", "=", sourceId)
      .where("guid", "=", article.guid)
      .executeTakeFirstOrThrow());
  const outcome = !wrote ? "unchanged" : stored.version === 1 ? "new" : "updated";
  return { ...stored, outcome, withdrawn: withdrawn_at !== null, extracted: extracted_at !== null };
}

export async function getArticle(db: Db, id: string): Promise<ArticleRow | undefined> {
  return db.selectFrom("articles").selectAll().where("id", "=", id).executeTakeFirst();
}

/** An article with its source's review policy (see reviewPolicy): what a translate job needs, in one read. */
export async function getArticleWithReview(
  db: Db,
  id: string,
): Promise<(ArticleRow & Pick<Selectable<SourcesTable>, "review" | "review_languages">) | undefined> {
  return db
    .selectFrom("articles as a")
    .innerJoin("sources as s", "s.id", "a.source_id")
    .selectAll("a")
    .select(["s.review", "s.review_languages"])
    .where("a.id", "=", id)
    .executeTakeFirst();
}

/**
 * Records the outcome of fetching the article's page for one version: its full text, or the
 * error that made us keep the feed's text. A newer version in the meantime wins.
 */
export async function recordExtraction(
  db: Db,
  article: { id: string; version: number },
  outcome: { contentHtml: string; contentText: string } | { error: string },
): Promise<boolean> {
  const result = await db
    .updateTable("articles")
    .set({
      extracted_at: new Date(),
      ...("error" in outcome
        ? { extract_error: outcome.error.slice(0, 2000) }
        : { content_html: outcome.contentHtml, content_text: outcome.contentText, extract_error: null }),
    })
    .where("id", "=", article.id)
    .where("version", "=", article.version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function setArticleAbstract(db: Db, id: string, abstract: string): Promise<void> {
  await db.updateTable("articles").set({ abstract }).where("id", "=", id).execute();
}

export async function countArticles(db: Db, sourceId?: string): Promise<number> {
  let query = db.selectFrom("articles").select((eb) => eb.fn.countAll<number>().as("n"));
  if (sourceId) query = query.where("source_id", "=", sourceId);
  const row = await query.executeTakeFirstOrThrow();
  // PGlite returns count(*) as a number, node-postgres as a string.
  return Number(row.n);
}
