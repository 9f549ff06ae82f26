import { createSource, createToken, ensureTranslation, transitionTranslation, upsertArticle } from "@babelwire/db";
import { testArticle } from "@babelwire/db/testing";
import type { Runtime } from "@babelwire/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiApp } from "../../app.ts";
import { openTestApp, type TestApp } from "../../testing/test-app.ts";

let testApp: TestApp;
let runtime: Runtime;
let app: ApiApp;
let admin: string;
let editor: string;
let sourceId: string;

beforeAll(async () => {
  testApp = await openTestApp("engine-quality-test");
  ({ runtime, app } = testApp);
  admin = (await createToken(runtime.db, { role: "admin" })).token;
  editor = (await createToken(runtime.db, { role: "editor" })).token;
  sourceId = (
    await createSource(runtime.db, { url: "https://example.org/quality", targets: ["es"], review: "required" })
  ).id;
});

afterAll(() => testApp?.close());

const as = (token: string, version?: number) => ({
  authorization: `Bearer ${token}`,
  ...(version !== undefined && { "if-match": `"${version}"` }),
});

/** A machine translation in review: "Uno dos tres cuatro." as its one segment, a two-word title. */
async function inReview(guid: string, engine: string, lang = "es") {
  const { id: articleId } = await upsertArticle(runtime.db, sourceId, testArticle(guid));
  const row = await ensureTranslation(runtime.db, articleId, lang, 1);
  await transitionTranslation(runtime.db, row.id, "start", { actor: "system" });
  return transitionTranslation(runtime.db, row.id, "finish", {
    actor: "system",
    machine: {
      title: "Hola mundo",
      summary: "",
      contentHtml: "<p>Uno dos tres cuatro.</p>",
      segments: [{ id: "s1", source: "<p>One two three four.</p>", target: "<p>Uno dos tres cuatro.</p>" }],
      qa: [],
      engine,
    },
  });
}

async function approve(id: string, version: number) {
  const response = await app.inject({
    method: "POST",
    url: `/v1/translations/${id}/approve`,
    headers: as(editor, version),
  });
  expect(response.statusCode).toBe(200);
  return response.json();
}

describe("post-editing effort per engine and pair", () => {
  it("stores each approval's edit rate and reports items, mean edit rate, unchanged share and rejections", async () => {
    const untouched = await inReview("q-1", "apertium");
    expect((await approve(untouched.id, untouched.version)).editRate).toBe(0);

    const edited = await inReview("q-2", "apertium");
    const patched = await app.inject({
      method: "PATCH",
      url: `/v1/translations/${edited.id}`,
      headers: as(editor, edited.version),
      payload: { segments: [{ id: "s1", target: "<p>Uno dos tres cinco.</p>" }] },
    });
    // One word substituted over 2 + 4 approved words.
    expect((await approve(edited.id, patched.json().version)).editRate).toBeCloseTo(1 / 6);

    const rejected = await inReview("q-3", "apertium");
    await app.inject({
      method: "POST",
      url: `/v1/translations/${rejected.id}/reject`,
      headers: as(editor, rejected.version),
      payload: { reason: "Wrong register" },
    });
    // The pipeline's own approval is policy, not an editor's judgement: left out.
    const auto = await inReview("q-4", "apertium");
    await transitionTranslation(runtime.db, auto.id, "approve", { actor: "system", detail: { policy: "auto" } });
    const other = await inReview("q-5", "deepl", "ca");
    await approve(other.id, other.version);

    const report = await app.inject({ method: "GET", url: "/v1/engines/quality", headers: as(admin) });
    expect(report.statusCode).toBe(200);
    expect(report.json().items).toEqual([
      {
        engine: "apertium",
        from: "en",
        to: "es",
        items: 3,
        approved: 2,
        meanEditRate: expect.closeTo(1 / 12, 6),
        approvedUnchanged: 0.5,
        rejected: 1,
      },
      {
        engine: "deepl",
        from: "en",
        to: "ca",
        items: 1,
        approved: 1,
        meanEditRate: 0,
        approvedUnchanged: 1,
        rejected: 0,
      },
    ]);
    const spanish = await app.inject({ method: "GET", url: "/v1/engines/quality?from=en&to=es", headers: as(admin) });
    expect(spanish.json().items.map((item: { engine: string }) => item.engine)).toEqual(["apertium"]);
    const later = new Date(Date.now() + 60_000).toISOString();
    const none = await app.inject({ method: "GET", url: `/v1/engines/quality?since=${later}`, headers: as(admin) });
    expect(none.json().items).toEqual([]);

    const metrics = (await app.inject({ method: "GET", url: "/metrics" })).body;
    expect(metrics).toMatch(/babelwire_engine_edit_rate_mean\{engine="apertium",from="en",to="es"\} 0\.0833/);
    expect(metrics).toContain('babelwire_engine_approved_unchanged_ratio{engine="apertium",from="en",to="es"} 0.5');
    expect(metrics).toContain('babelwire_engine_rejected_items{engine="apertium",from="en",to="es"} 1');
    expect(metrics).toContain('babelwire_engine_reviewed_items{engine="deepl",from="en",to="ca"} 1');
  });

  it("is for admins, and refuses a since that is not a date", async () => {
    expect((await app.inject({ method: "GET", url: "/v1/engines/quality", headers: as(editor) })).statusCode).toBe(403);
    const bad = await app.inject({ method: "GET", url: "/v1/engines/quality?since=yesterday", headers: as(admin) });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe("since");
  });
});
