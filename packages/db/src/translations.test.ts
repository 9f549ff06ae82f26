import type { PublishedItem } from "@babelwire/core";
import { sql } from "kysely";
import { beforeAll, expect, it } from "vitest";
import { upsertArticle } from "./articles.ts";
import type { Db } from "./connect.ts";
import { createSource } from "./sources.ts";
import { describeOnDatabases, testArticle } from "./testing.ts";
import {
  type ChangePosition,
  engineQuality,
  ensureTranslation,
  listForReview,
  listPublished,
  listPublishedVersions,
  transitionTranslation,
} from "./translations.ts";

const machine = { title: "T", summary: "S", contentHtml: "<p>B</p>", segments: [], qa: [], engine: "apertium" };

/** A translation taken as far as `until`: published, or left in review. */
async function translation(db: Db, articleId: string, lang: string, until: "published" | "in_review") {
  const row = await ensureTranslation(db, articleId, lang, 1);
  await transitionTranslation(db, row.id, "start", { actor: "system" });
  await transitionTranslation(db, row.id, "finish", { actor: "system", machine });
  if (until === "published") {
    await transitionTranslation(db, row.id, "approve", { actor: "system" });
    await transitionTranslation(db, row.id, "publish", { actor: "system" });
  }
  return row.id;
}

describeOnDatabases("listPublishedVersions", (db) => {
  it("lists the published language versions of the given articles only, in a stable order", async () => {
    const source = await createSource(db(), { url: "https://example.org/versions", targets: ["es", "ca", "fr"] });
    const one = (await upsertArticle(db(), source.id, testArticle("v1"))).id;
    const two = (await upsertArticle(db(), source.id, testArticle("v2"))).id;
    const other = (await upsertArticle(db(), source.id, testArticle("v3"))).id;
    const oneEs = await translation(db(), one, "es", "published");
    const oneCa = await translation(db(), one, "ca", "published");
    await translation(db(), one, "fr", "in_review");
    const twoEs = await translation(db(), two, "es", "published");
    await translation(db(), other, "es", "published");

    const versions = await listPublishedVersions(db(), [two, one, one]);
    const expected = [
      { articleId: one, lang: "ca", translationId: oneCa },
      { articleId: one, lang: "es", translationId: oneEs },
      { articleId: two, lang: "es", translationId: twoEs },
    ];
    const byArticle = (a: { articleId: string; lang: string }, b: { articleId: string; lang: string }) =>
      a.articleId.localeCompare(b.articleId) || a.lang.localeCompare(b.lang);
    expect(versions).toEqual(expected.sort(byArticle));
  });

  it("lists nothing for no articles", async () => {
    expect(await listPublishedVersions(db(), [])).toEqual([]);
  });
});

describeOnDatabases("the review queue and the engines' report", (db) => {
  it("pages the queue by when each went to review, QA flag filter included", async () => {
    const source = await createSource(db(), { url: "https://example.org/queue", targets: ["es"] });
    const ids: string[] = [];
    for (const guid of ["q1", "q2", "q3"]) {
      const articleId = (await upsertArticle(db(), source.id, testArticle(guid))).id;
      ids.push(await translation(db(), articleId, "es", "in_review"));
    }
    // An edit of the first does not send it to the back.
    const first = await transitionTranslation(db(), ids[0] ?? "", "edit", { actor: "token:x", edit: { title: "E" } });
    expect(first.status).toBe("in_review");
    const seen: string[] = [];
    let after: { at: Date; id: string } | undefined;
    for (;;) {
      const page = await listForReview(db(), { status: "in_review", lang: "es", limit: 2, after });
      seen.push(...page.map((row) => row.id));
      const last = page.at(-1);
      if (page.length < 2 || !last) break;
      after = { at: new Date(last.waitingSince), id: last.id };
    }
    expect(seen).toEqual(ids);
    expect(await listForReview(db(), { status: "in_review", qaCode: "number_missing", limit: 10 })).toEqual([]);
  });

  it("reports editors' decisions per engine and pair", async () => {
    const source = await createSource(db(), { url: "https://example.org/quality", targets: ["es"] });
    const articleId = (await upsertArticle(db(), source.id, testArticle("e1", { language: "en-GB" }))).id;
    const id = await translation(db(), articleId, "es", "in_review");
    await transitionTranslation(db(), id, "edit", { actor: "token:x", edit: { title: "T2" } });
    const approved = await transitionTranslation(db(), id, "approve", { actor: "token:x" });
    // The title changed: 1 edit ÷ 2 approved words (title "T2", summary "S"; the machine had no segments).
    expect(approved.edit_rate).toBeCloseTo(1 / 2);
    expect(await engineQuality(db(), { from: "en", to: "es" })).toEqual([
      {
        engine: "apertium",
        from: "en",
        to: "es",
        items: 1,
        approved: 1,
        meanEditRate: expect.closeTo(1 / 2, 6),
        approvedUnchanged: 0,
        rejected: 0,
      },
    ]);
  });
});

// Two transactions at once need two connections: PostgreSQL only (PGlite has one).
describeOnDatabases(
  "the changes order",
  (db) => {
    let sourceId: string;
    beforeAll(async () => {
      sourceId = (await createSource(db(), { url: "https://example.org/changes.xml", targets: ["es"] })).id;
    });

    const changes = (after?: ChangePosition) =>
      listPublished(db(), { lang: "es", order: "changes", withdrawn: true, limit: 10, after });
    const articleOf = async (guid: string) => (await upsertArticle(db(), sourceId, testArticle(guid))).id;

    it("shows a change at once, and never lets a cursor pass one a transaction begun earlier commits later", async () => {
      const early = await translation(db(), await articleOf("early"), "es", "published");
      const slow = await translation(db(), await articleOf("slow"), "es", "in_review");
      const first = await changes();
      expect(first.map((item) => item.translationId)).toEqual([early]);
      const cursor = first.at(-1) as PublishedItem;
      const after = { changeXid: cursor.changeXid, updatedAtMicros: cursor.updatedAtMicros, id: cursor.translationId };

      // A writer that begins before `quick` is published, and makes `slow` live only after it.
      let release = () => {};
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      let begun = () => {};
      const hasBegun = new Promise<void>((resolve) => {
        begun = resolve;
      });
      const writer = db()
        .transaction()
        .execute(async (trx) => {
          await sql`select pg_current_xact_id()`.execute(trx);
          begun();
          await released;
          await trx
            .updateTable("translations")
            .set({
              status: "published",
              live_version: 1,
              live_title: "Slow",
              live_summary: "",
              live_content_html: "<p>Slow</p>",
              published_at: sql<Date>`now()`,
              live_at: sql<Date>`now()`,
              change_xid: sql<string>`pg_current_xact_id()`,
            })
            .where("id", "=", slow)
            .execute();
        });
      await hasBegun;
      const quick = await translation(db(), await articleOf("quick"), "es", "published");
      // Committed, but behind a transaction still running: held back, not passed.
      expect(await changes(after)).toEqual([]);
      release();
      await writer;
      // No settle window: both are there the moment the writer has committed, in commit order.
      expect((await changes(after)).map((item) => item.translationId)).toEqual([slow, quick]);
    });
  },
  (kind) => kind === "postgres",
);
