import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { upsertArticle } from "./articles.ts";
import type { Db } from "./connect.ts";
import { createSource } from "./sources.ts";
import { openTestDatabase, type TestDatabase, testDatabaseKinds } from "./testing.ts";
import { ensureTranslation, listPublishedVersions, transitionTranslation } from "./translations.ts";

const article = {
  url: "https://example.org/a",
  title: "Title",
  summary: "Lead",
  contentHtml: "<p>Body</p>",
  contentText: "Body",
  language: "en",
  publishedAt: "2026-11-01T10:00:00.000Z",
  updatedAt: "2026-11-01T10:00:00.000Z",
  authors: [],
  categories: [],
  media: [],
  contentHash: "h1",
};

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

describe.each(testDatabaseKinds())("listPublishedVersions on %s", (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await t?.close();
  });

  it("lists the published language versions of the given articles only, in a stable order", async () => {
    const source = await createSource(t.db, { url: "https://example.org/versions", targets: ["es", "ca", "fr"] });
    const one = (await upsertArticle(t.db, source.id, { ...article, guid: "v1" })).id;
    const two = (await upsertArticle(t.db, source.id, { ...article, guid: "v2" })).id;
    const other = (await upsertArticle(t.db, source.id, { ...article, guid: "v3" })).id;
    const oneEs = await translation(t.db, one, "es", "published");
    const oneCa = await translation(t.db, one, "ca", "published");
    await translation(t.db, one, "fr", "in_review");
    const twoEs = await translation(t.db, two, "es", "published");
    await translation(t.db, other, "es", "published");

    const versions = await listPublishedVersions(t.db, [two, one, one]);
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
    expect(await listPublishedVersions(t.db, [])).toEqual([]);
  });
});
