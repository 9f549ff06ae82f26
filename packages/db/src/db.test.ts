import { expect, it } from "vitest";
import { recordExtraction, upsertArticle } from "./articles.ts";
import { migrate } from "./migrations.ts";
import { createSource, getSource, recordPollFailure, recordPollSuccess } from "./sources.ts";
import { describeOnDatabases, testArticle } from "./testing.ts";
import { createToken, findLiveToken } from "./tokens.ts";
import { ensureTranslation, listPublished, listTranslationEvents, transitionTranslation } from "./translations.ts";

const article = testArticle("urn:item:1", { authors: ["A. Writer"], categories: ["Politics"], contentHash: "h1" });

describeOnDatabases("database", (db) => {
  it("applies migrations once: a second run applies nothing", async () => {
    expect(await migrate(db())).toEqual([]);
  });

  it("stores one article per (source, GUID) and versions changed content", async () => {
    const source = await createSource(db(), { url: "https://example.org/feed-a", targets: ["es"] });
    const first = await upsertArticle(db(), source.id, article);
    const again = await upsertArticle(db(), source.id, article);
    const changed = await upsertArticle(db(), source.id, { ...article, contentHash: "h2", title: "New title" });
    expect(first.outcome).toBe("new");
    expect(again).toEqual({ id: first.id, version: 1, outcome: "unchanged", withdrawn: false, extracted: false });
    expect(changed).toEqual({ id: first.id, version: 2, outcome: "updated", withdrawn: false, extracted: false });
    // The unchanged item says whether its page was fetched; a new version is to be fetched again.
    await recordExtraction(db(), changed, { error: "FEED_HTTP_404" });
    expect(await upsertArticle(db(), source.id, { ...article, contentHash: "h2" })).toMatchObject({
      outcome: "unchanged",
      extracted: true,
    });
    expect(await upsertArticle(db(), source.id, { ...article, contentHash: "h3" })).toMatchObject({
      outcome: "updated",
      version: 3,
      extracted: false,
    });
  });

  it("records poll failures on the source and clears them on success", async () => {
    const source = await createSource(db(), { url: "https://example.org/feed-b", targets: ["es"] });
    const next = new Date(Date.now() + 60_000);
    await recordPollFailure(db(), source.id, { status: 500, code: "FEED_HTTP_500", message: "boom", nextPollAt: next });
    expect(
      await recordPollFailure(db(), source.id, {
        status: 500,
        code: "FEED_HTTP_500",
        message: "boom",
        nextPollAt: next,
      }),
    ).toBe(2);
    const failing = await getSource(db(), source.id);
    expect(failing).toMatchObject({ error_code: "FEED_HTTP_500", consecutive_errors: 2, last_status: 500 });
    await recordPollSuccess(db(), source.id, {
      status: 200,
      etag: '"e"',
      lastModified: null,
      newItems: 3,
      nextPollAt: next,
    });
    expect(await getSource(db(), source.id)).toMatchObject({
      error_code: null,
      consecutive_errors: 0,
      items_seen: 3,
      etag: '"e"',
    });
  });

  it("reads only the columns asked for, and a 304 leaves the rhythm and item count as they were", async () => {
    const source = await createSource(db(), { url: "https://example.org/feed-poll", targets: ["es", "ca"] });
    const columns = ["id", "url", "etag", "targets", "next_poll_at"] as const;
    const head = await getSource(db(), source.id, columns);
    expect(Object.keys(head ?? {}).sort()).toEqual([...columns].sort());
    expect(head).toMatchObject({ url: "https://example.org/feed-poll", targets: ["es", "ca"], etag: null });
    expect(await getSource(db(), "00000000-0000-4000-8000-000000000000", columns)).toBeUndefined();

    const first = new Date(Date.now() + 60_000);
    const newest = new Date("2024-05-01T10:00:00Z");
    await recordPollSuccess(db(), source.id, {
      status: 200,
      etag: '"a"',
      lastModified: "Wed, 01 May 2024 10:00:00 GMT",
      newItems: 2,
      nextPollAt: first,
      intervalSeconds: 600,
      medianGapSeconds: 1234.4,
      quiet: true,
      newestItemAt: newest,
    });
    await recordPollFailure(db(), source.id, {
      status: 503,
      code: "FEED_HTTP_503",
      message: "down",
      nextPollAt: first,
    });
    const second = new Date(Date.now() + 120_000);
    await recordPollSuccess(db(), source.id, {
      status: 304,
      etag: '"a"',
      lastModified: "Wed, 01 May 2024 10:00:00 GMT",
      newItems: 0,
      nextPollAt: second,
    });
    const after = await getSource(db(), source.id);
    expect(after).toMatchObject({
      last_status: 304,
      etag: '"a"',
      error_code: null,
      error_message: null,
      consecutive_errors: 0,
      items_seen: 2,
      poll_interval_seconds: 600,
      median_gap_seconds: 1234,
      quiet: true,
      newest_item_at: newest,
      next_poll_at: second,
    });
    expect(after?.last_success_at).toEqual(after?.last_fetched_at);
  });

  it("moves a translation through its states, refuses illegal moves and lists it once published", async () => {
    const source = await createSource(db(), { url: "https://example.org/feed-c", targets: ["es"] });
    const { id: articleId } = await upsertArticle(db(), source.id, { ...article, guid: "urn:item:c" });
    const row = await ensureTranslation(db(), articleId, "es", 1);
    expect((await ensureTranslation(db(), articleId, "es", 1)).id).toBe(row.id);
    await expect(transitionTranslation(db(), row.id, "approve", { actor: "system" })).rejects.toMatchObject({
      code: "illegal_transition",
    });
    await transitionTranslation(db(), row.id, "start", { actor: "system" });
    const machine = {
      title: "Título",
      summary: "Entradilla",
      contentHtml: "<p>Cuerpo</p>",
      segments: [],
      qa: [],
      engine: "apertium",
    };
    await transitionTranslation(db(), row.id, "finish", { actor: "system", machine });
    await transitionTranslation(db(), row.id, "approve", { actor: "token:editor" });
    const published = await transitionTranslation(db(), row.id, "publish", { actor: "system" });
    expect(published.status).toBe("published");
    expect(published.published_at).toBeInstanceOf(Date);
    const items = await listPublished(db(), { lang: "es", limit: 10 });
    expect(items.filter((item) => item.translationId === row.id)).toMatchObject([
      { title: "Título", contentHtml: "<p>Cuerpo</p>", reviewed: true, categories: ["Politics"] },
    ]);
    expect(await listPublished(db(), { lang: "es", limit: 10, category: "Sport" })).toEqual([]);
    expect((await listTranslationEvents(db(), row.id)).map((e) => e.to_status)).toEqual([
      "translating",
      "in_review",
      "approved",
      "published",
    ]);
  });

  it("keeps only a token's hash and refuses revoked or expired tokens", async () => {
    const { token, row } = await createToken(db(), { role: "editor" });
    expect(row.hash).not.toContain(token);
    expect((await findLiveToken(db(), token))?.id).toBe(row.id);
    const expired = await createToken(db(), { role: "partner", expiresAt: new Date(Date.now() - 1000) });
    expect(await findLiveToken(db(), expired.token)).toBeUndefined();
    expect(await findLiveToken(db(), "bw_not_a_token")).toBeUndefined();
  });
});
