import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { upsertArticle } from "./articles.ts";
import { createSource } from "./sources.ts";
import { linkStory } from "./stories.ts";
import { openTestDatabase, type TestDatabase, testArticle, testDatabaseKinds } from "./testing.ts";

/** The print of a 64-bit simhash given in hex, its bands as simhashBands makes them. */
function print(simhash: string) {
  return { simhash, bands: Array.from({ length: 8 }, (_, band) => `${band}${simhash.slice(band * 2, band * 2 + 2)}`) };
}

describe.each(testDatabaseKinds())("linkStory on %s", (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function stored(sourceUrl: string, guid: string) {
    const source = await createSource(t.db, { url: sourceUrl, targets: ["es"] });
    return { id: (await upsertArticle(t.db, source.id, testArticle(guid))).id, sourceId: source.id };
  }

  it("joins the story of another source's article within the distance, and starts its own beyond it", async () => {
    const first = await stored("https://example.org/agency-a", "a1");
    expect(await linkStory(t.db, first, print("00000000000000ff"), 6)).toBe(first.id);
    // The same hash from the same source is not another agency's copy.
    const sameSource = {
      id: (await upsertArticle(t.db, first.sourceId, testArticle("a2"))).id,
      sourceId: first.sourceId,
    };
    expect(await linkStory(t.db, sameSource, print("00000000000000ff"), 6)).toBe(sameSource.id);
    // Six bits from the first: the same story.
    const near = await stored("https://example.org/agency-b", "b1");
    expect(await linkStory(t.db, near, print("0000000000003fff"), 6)).toBe(first.id);
    // Seven bits: a story of its own.
    const far = await stored("https://example.org/agency-c", "c1");
    expect(await linkStory(t.db, far, print("7f000000000000ff"), 6)).toBe(far.id);
    const rows = await t.db.selectFrom("articles").select(["id", "simhash", "story_id"]).execute();
    expect(rows.find((row) => row.id === near.id)).toMatchObject({ simhash: "0000000000003fff", story_id: first.id });
  });

  it("makes an article without a print a story of its own, and gives the same answer when run again", async () => {
    const article = await stored("https://example.org/agency-d", "d1");
    expect(await linkStory(t.db, article, undefined, 6)).toBe(article.id);
    expect(await linkStory(t.db, article, undefined, 6)).toBe(article.id);
  });
});
