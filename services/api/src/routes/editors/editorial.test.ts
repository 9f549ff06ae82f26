import { createSource, createToken, ensureTranslation, transitionTranslation, upsertArticle } from "@babelwire/db";
import { testArticle } from "@babelwire/db/testing";
import type { Runtime } from "@babelwire/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiApp } from "../../app.ts";
import { openTestApp, type TestApp } from "../../testing/test-app.ts";

let testApp: TestApp;
let runtime: Runtime;
let app: ApiApp;
let editor: string;
let sourceId: string;

beforeAll(async () => {
  testApp = await openTestApp("editorial-test");
  ({ runtime, app } = testApp);
  editor = (await createToken(runtime.db, { role: "editor", label: "Ana editor" })).token;
  sourceId = (
    await createSource(runtime.db, {
      url: "https://example.org/editorial",
      name: "Wire Desk",
      targets: ["es"],
      review: "required",
    })
  ).id;
});

afterAll(() => testApp?.close());

const headers = (extra: Record<string, string> = {}) => ({ authorization: `Bearer ${editor}`, ...extra });

/** A machine translation waiting for an editor, with two body segments. */
async function inReview(guid: string, lang = "es") {
  const { id: articleId } = await upsertArticle(
    runtime.db,
    sourceId,
    testArticle(guid, {
      title: "NATO chief warns",
      contentHtml: "<p>One.</p>\n<p>Two.</p>",
      contentText: "One.\n\nTwo.",
      publishedAt: "2026-11-01T00:00:00.000Z",
      updatedAt: "2026-11-01T00:00:00.000Z",
    }),
  );
  const row = await ensureTranslation(runtime.db, articleId, lang, 1);
  await transitionTranslation(runtime.db, row.id, "start", { actor: "system" });
  const machine = {
    title: "El jefe de la OTAN advierte",
    summary: "Entradilla",
    contentHtml: "<p>Uno.</p>\n<p>Dos.</p>",
    segments: [
      { id: "s1", source: "<p>One.</p>", target: "<p>Uno.</p>" },
      { id: "s2", source: "<p>Two.</p>", target: "<p>Dos.</p>" },
    ],
    qa: [
      { code: "untranslated_words", message: "Words the engine did not know: Rutte.", severity: "warning" as const },
    ],
    engine: "apertium",
    glossary: [{ term: "NATO", translation: "OTAN", segments: ["title"] }],
  };
  return transitionTranslation(runtime.db, row.id, "finish", { actor: "system", machine });
}

describe("editing needs the version the editor read", () => {
  it("answers 428 without If-Match, 412 on a stale one, and saves a correction with the right one", async () => {
    const row = await inReview("edit-1");
    const url = `/v1/translations/${row.id}`;
    const body = { segments: [{ id: "s2", target: "<p>Dos, corregido.</p>" }], title: "Rutte advierte" };
    const missing = await app.inject({ method: "PATCH", url, headers: headers(), payload: body });
    expect(missing.statusCode).toBe(428);
    expect(missing.json().error.code).toBe("precondition_required");
    const stale = await app.inject({
      method: "PATCH",
      url,
      headers: headers({ "if-match": `"${row.version - 1}"` }),
      payload: body,
    });
    expect(stale.statusCode).toBe(412);
    expect(stale.json().error.code).toBe("stale_version");
    const saved = await app.inject({
      method: "PATCH",
      url,
      headers: headers({ "if-match": `"${row.version}"` }),
      payload: body,
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.headers.etag).toBe(`"${row.version + 1}"`);
    expect(saved.json()).toMatchObject({
      title: "Rutte advierte",
      status: "in_review",
      segments: [
        { id: "s1", target: "<p>Uno.</p>" },
        { id: "s2", target: "<p>Dos, corregido.</p>" },
      ],
    });
    const edit = saved.json().history.find((event: { action: string }) => event.action === "edit");
    expect(edit).toMatchObject({
      actorId: expect.stringMatching(/^token:/),
      detail: { fields: ["segments", "title"], segments: ["s2"] },
    });
    const stored = await runtime.db
      .selectFrom("translations")
      .select("content_html")
      .where("id", "=", row.id)
      .executeTakeFirstOrThrow();
    expect(stored.content_html).toBe("<p>Uno.</p>\n<p>Dos, corregido.</p>");
  });

  it("holds an editor's markup to the same rules as the agency's", async () => {
    const row = await inReview("edit-xss");
    const saved = await app.inject({
      method: "PATCH",
      url: `/v1/translations/${row.id}`,
      headers: headers({ "if-match": `"${row.version}"` }),
      payload: {
        segments: [{ id: "s1", target: '<p>Uno<script>alert(1)</script><img src="x.png" onerror="alert(1)"></p>' }],
      },
    });
    expect(saved.statusCode).toBe(200);
    const target = saved.json().segments[0].target as string;
    expect(target).toMatch(/^<p>Uno/);
    expect(target).not.toMatch(/script|onerror|alert/);
  });

  it("lets only one of two editors who read the same version save", async () => {
    const row = await inReview("edit-2");
    const url = `/v1/translations/${row.id}`;
    const ifMatch = headers({ "if-match": `"${row.version}"` });
    const first = await app.inject({ method: "PATCH", url, headers: ifMatch, payload: { title: "Primero" } });
    const second = await app.inject({ method: "PATCH", url, headers: ifMatch, payload: { title: "Segundo" } });
    expect([first.statusCode, second.statusCode]).toEqual([200, 412]);
  });

  it("refuses an unknown segment and an edit of approved text", async () => {
    const row = await inReview("edit-3");
    const url = `/v1/translations/${row.id}`;
    const unknown = await app.inject({
      method: "PATCH",
      url,
      headers: headers({ "if-match": `"${row.version}"` }),
      payload: { segments: [{ id: "s9", target: "x" }] },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.code).toBe("unknown_segment");
    const approved = (
      await app.inject({
        method: "POST",
        url: `${url}/approve`,
        headers: headers({ "if-match": `"${row.version}"` }),
      })
    ).json();
    const late = await app.inject({
      method: "PATCH",
      url,
      headers: headers({ "if-match": `"${approved.version}"` }),
      payload: { title: "x" },
    });
    expect(late.statusCode).toBe(409);
  });
});

describe("rejecting", () => {
  it("sends a rejected translation back to the engine as a new job, with the reason in its history", async () => {
    const row = await inReview("reject-1");
    const before = (await runtime.queues.counts()).find((queue) => queue.name === "translate")?.waiting ?? 0;
    const rejected = await app.inject({
      method: "POST",
      url: `/v1/translations/${row.id}/reject`,
      headers: headers({ "if-match": `"${row.version}"` }),
      payload: { reason: "Names mistranslated", retranslate: true },
    });
    expect(rejected.statusCode).toBe(200);
    expect(rejected.json().status).toBe("queued");
    expect(
      rejected
        .json()
        .history.map((event: { action: string }) => event.action)
        .slice(-2),
    ).toEqual(["reject", "retranslate"]);
    expect(rejected.json().history.at(-1).detail).toEqual({ reason: "Names mistranslated" });
    const after = (await runtime.queues.counts()).find((queue) => queue.name === "translate")?.waiting ?? 0;
    expect(after).toBe(before + 1);
    const again = await app.inject({
      method: "POST",
      url: `/v1/translations/${row.id}/reject`,
      headers: headers({ "if-match": `"${rejected.json().version}"` }),
      payload: { reason: "x" },
    });
    expect(again.statusCode).toBe(409);
  });

  it("needs a reason", async () => {
    const row = await inReview("reject-2");
    const response = await app.inject({
      method: "POST",
      url: `/v1/translations/${row.id}/reject`,
      headers: headers(),
      payload: {},
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.field).toBe("reason");
  });
});

describe("the review queue", () => {
  it("lists what waits oldest first, page by page without gaps or repeats, and counts it per language", async () => {
    const ids = [];
    for (const guid of ["queue-a", "queue-b", "queue-c"]) ids.push((await inReview(guid, "ca")).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `lang=ca&limit=2${cursor ? `&cursor=${cursor}` : ""}`;
      const page = await app.inject({ method: "GET", url: `/v1/review?${query}`, headers: headers() });
      expect(page.statusCode).toBe(200);
      const json = page.json() as {
        items: Array<{ id: string; waitingSeconds: number; qa: unknown[] }>;
        nextCursor: string | null;
      };
      for (const item of json.items) {
        expect(item.waitingSeconds).toBeGreaterThanOrEqual(0);
        expect(item.qa).toHaveLength(1);
        seen.push(item.id);
      }
      cursor = json.nextCursor;
    } while (cursor);
    expect(seen).toEqual(ids);
    const counts = await app.inject({ method: "GET", url: "/v1/review/counts", headers: headers() });
    expect(counts.json().counts.ca).toBe(3);
  });

  it("refuses a cursor it did not give out", async () => {
    const response = await app.inject({ method: "GET", url: "/v1/review?cursor=nonsense", headers: headers() });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.field).toBe("cursor");
  });
});

describe("approving and rejecting need the version the editor read", () => {
  it.each(["approve", "reject"])("%s answers 428 without If-Match and 412 on a stale one", async (action) => {
    const row = await inReview(`decide-${action}`);
    const url = `/v1/translations/${row.id}/${action}`;
    const payload = action === "reject" ? { reason: "Wrong names" } : undefined;
    const missing = await app.inject({ method: "POST", url, headers: headers(), ...(payload && { payload }) });
    expect(missing.statusCode).toBe(428);
    expect(missing.json().error.code).toBe("precondition_required");
    // Another editor saves meanwhile: the version this editor read is stale.
    await app.inject({
      method: "PATCH",
      url: `/v1/translations/${row.id}`,
      headers: headers({ "if-match": `"${row.version}"` }),
      payload: { title: "Otro" },
    });
    const stale = await app.inject({
      method: "POST",
      url,
      headers: headers({ "if-match": `"${row.version}"` }),
      ...(payload && { payload }),
    });
    expect(stale.statusCode).toBe(412);
    expect(stale.json().error.code).toBe("stale_version");
    const current = await app.inject({
      method: "POST",
      url,
      headers: headers({ "if-match": `"${row.version + 1}"` }),
      ...(payload && { payload }),
    });
    expect(current.statusCode).toBe(200);
    expect(current.json().status).toBe(action === "approve" ? "approved" : "rejected");
  });
});

describe("what a translation shows an editor", () => {
  it("keeps the machine draft beside the edited text, names forced glossary terms, and shows actors by label", async () => {
    const row = await inReview("view-1");
    const saved = await app.inject({
      method: "PATCH",
      url: `/v1/translations/${row.id}`,
      headers: headers({ "if-match": `"${row.version}"` }),
      payload: { segments: [{ id: "s1", target: "<p>Uno, corregido.</p>" }] },
    });
    const view = saved.json();
    expect(view.segments[0].target).toBe("<p>Uno, corregido.</p>");
    expect(view.machineDraft).toEqual({
      title: "El jefe de la OTAN advierte",
      summary: "Entradilla",
      engine: "apertium",
      segments: [
        { id: "s1", target: "<p>Uno.</p>" },
        { id: "s2", target: "<p>Dos.</p>" },
      ],
    });
    expect(view.glossaryTerms).toEqual([{ term: "NATO", translation: "OTAN", segments: ["title"] }]);
    const edit = view.history.find((event: { action: string }) => event.action === "edit");
    expect(edit.actor).toBe("Ana editor");
    expect(edit.actorId).toMatch(/^token:/);
    expect(view.history[0].actor).toBe("system");
  });
});

describe("the review queue's items", () => {
  it("name the feed by its name and the article by its title", async () => {
    const row = await inReview("pair-1", "pt");
    const page = await app.inject({ method: "GET", url: "/v1/review?lang=pt", headers: headers() });
    const item = page.json().items.find((entry: { id: string }) => entry.id === row.id);
    expect(item.source).toEqual({ id: sourceId, name: "Wire Desk", language: "en" });
    expect(item.article).toEqual({ title: "NATO chief warns", language: "en" });
    expect(item.title).toBe("El jefe de la OTAN advierte");
  });

  it("keep their place while an editor edits one: waiting counts from when it went to review", async () => {
    const first = await inReview("place-1", "fr");
    const second = await inReview("place-2", "fr");
    const edited = await app.inject({
      method: "PATCH",
      url: `/v1/translations/${first.id}`,
      headers: headers({ "if-match": `"${first.version}"` }),
      payload: { title: "Rutte avertit" },
    });
    expect(edited.statusCode).toBe(200);
    const page = await app.inject({ method: "GET", url: "/v1/review?lang=fr", headers: headers() });
    expect(page.json().items.map((item: { id: string }) => item.id)).toEqual([first.id, second.id]);
  });

  it("filter by QA flag code", async () => {
    const row = await inReview("qa-1", "it");
    const flagged = await app.inject({
      method: "GET",
      url: "/v1/review?lang=it&qa=untranslated_words",
      headers: headers(),
    });
    expect(flagged.json().items.map((item: { id: string }) => item.id)).toEqual([row.id]);
    const other = await app.inject({ method: "GET", url: "/v1/review?lang=it&qa=numbers_changed", headers: headers() });
    expect(other.json().items).toEqual([]);
  });

  it("say why a failed translation failed", async () => {
    const { id: articleId } = await upsertArticle(runtime.db, sourceId, testArticle("failed-1"));
    const row = await ensureTranslation(runtime.db, articleId, "de", 1);
    await transitionTranslation(runtime.db, row.id, "start", { actor: "system" });
    await transitionTranslation(runtime.db, row.id, "fail", {
      actor: "system",
      error: { code: "ENGINE_PAIR_UNSUPPORTED", message: "No engine translates en to de." },
    });
    const page = await app.inject({ method: "GET", url: "/v1/review?status=failed&lang=de", headers: headers() });
    expect(page.json().items).toEqual([
      expect.objectContaining({
        id: row.id,
        error: { code: "ENGINE_PAIR_UNSUPPORTED", message: "No engine translates en to de." },
      }),
    ]);
  });
});
