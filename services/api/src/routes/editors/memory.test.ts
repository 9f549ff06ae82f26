import {
  createSource,
  createToken,
  ensureTranslation,
  lookupMemory,
  transitionTranslation,
  upsertArticle,
} from "@babelwire/db";
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
const pair = { from: "en", to: "es" };

beforeAll(async () => {
  testApp = await openTestApp("memory-api-test");
  ({ runtime, app } = testApp);
  editor = (await createToken(runtime.db, { role: "editor" })).token;
  sourceId = (
    await createSource(runtime.db, { url: "https://example.org/memory", targets: ["es"], review: "required" })
  ).id;
});

afterAll(() => testApp?.close());

const headers = (extra: Record<string, string> = {}) => ({ authorization: `Bearer ${editor}`, ...extra });

/** A machine translation in review: three body segments, one of them from machine memory. */
async function inReview(guid: string) {
  const sources = [`<p>First ${guid}.</p>`, `<p>Second ${guid}.</p>`, `<p>Third ${guid}.</p>`];
  const { id: articleId } = await upsertArticle(
    runtime.db,
    sourceId,
    testArticle(guid, { title: `Title ${guid}`, contentHtml: sources.join("\n"), contentText: "" }),
  );
  const row = await ensureTranslation(runtime.db, articleId, "es", 1);
  await transitionTranslation(runtime.db, row.id, "start", { actor: "system" });
  const segments = sources.map((source, index) => ({
    id: `s${index + 1}`,
    source,
    target: `<p>Máquina ${index + 1}.</p>`,
    ...(index === 0 && { memory: "machine" as const }),
  }));
  return transitionTranslation(runtime.db, row.id, "finish", {
    actor: "system",
    machine: {
      title: "Título de máquina",
      summary: "",
      contentHtml: segments.map((segment) => segment.target).join("\n"),
      segments,
      qa: [],
      engine: "apertium",
    },
  });
}

async function humanTargets(sources: string[]): Promise<Array<string | undefined>> {
  const hits = await lookupMemory(runtime.db, pair, sources, { includeMachine: true });
  return sources.map((source) => (hits.get(source)?.origin === "human" ? hits.get(source)?.target : undefined));
}

describe("translation memory learns only what a person wrote", () => {
  it("learns the segments and title an editor changed, not the ones left as the engine wrote them", async () => {
    const row = await inReview("learn-1");
    const url = `/v1/translations/${row.id}`;
    const patched = await app.inject({
      method: "PATCH",
      url,
      headers: headers({ "if-match": `"${row.version}"` }),
      payload: { title: "Título corregido", segments: [{ id: "s1", target: "<p>Corregido.</p>" }] },
    });
    expect(patched.statusCode).toBe(200);
    // The corrected segment is the editor's now: no memory label left on it.
    expect(patched.json().segments[0]).toEqual({
      id: "s1",
      source: "<p>First learn-1.</p>",
      target: "<p>Corregido.</p>",
      edited: true,
    });
    const approved = await app.inject({
      method: "POST",
      url: `${url}/approve`,
      headers: headers({ "if-match": `"${patched.json().version}"` }),
    });
    expect(approved.statusCode).toBe(200);
    const sources = row.segments.map((segment) => segment.source);
    expect(await humanTargets([...sources, "Title learn-1"])).toEqual([
      "<p>Corregido.</p>",
      undefined,
      undefined,
      "Título corregido",
    ]);
  });

  it("learns an unchanged segment the editor confirmed on approval", async () => {
    const row = await inReview("learn-2");
    const approved = await app.inject({
      method: "POST",
      url: `/v1/translations/${row.id}/approve`,
      headers: headers({ "if-match": `"${row.version}"` }),
      payload: { confirm: ["s3"] },
    });
    expect(approved.statusCode).toBe(200);
    expect(await humanTargets(row.segments.map((segment) => segment.source))).toEqual([
      undefined,
      undefined,
      "<p>Máquina 3.</p>",
    ]);
  });
});

describe("editors list and forget memory entries", () => {
  it("pages through a pair's entries by origin and deletes one", async () => {
    const row = await inReview("list-1");
    await app.inject({
      method: "POST",
      url: `/v1/translations/${row.id}/approve`,
      headers: headers({ "if-match": `"${row.version}"` }),
      payload: { confirm: ["s1", "s2"] },
    });
    const list = await app.inject({
      method: "GET",
      url: "/v1/memory/en/es/entries?origin=human&limit=500",
      headers: headers(),
    });
    expect(list.statusCode).toBe(200);
    const entry = list.json().items.find((item: { source: string }) => item.source === "<p>Second list-1.</p>");
    expect(entry).toMatchObject({
      target: "<p>Máquina 2.</p>",
      origin: "human",
      id: expect.stringMatching(/^[0-9a-f]{64}$/),
    });

    const page = await app.inject({ method: "GET", url: "/v1/memory/en/es/entries?limit=1", headers: headers() });
    expect(page.json().items).toHaveLength(1);
    const next = await app.inject({
      method: "GET",
      url: `/v1/memory/en/es/entries?limit=1&after=${page.json().next}`,
      headers: headers(),
    });
    expect(next.json().items[0].id > page.json().items[0].id).toBe(true);

    const url = `/v1/memory/en/es/entries/${entry.id}`;
    expect((await app.inject({ method: "DELETE", url, headers: headers() })).json()).toEqual({ deleted: 1 });
    expect(await humanTargets(["<p>Second list-1.</p>"])).toEqual([undefined]);
    const again = await app.inject({ method: "DELETE", url, headers: headers() });
    expect(again.statusCode).toBe(404);
    expect(again.json().error.code).toBe("not_found");
  });

  it("refuses a bad origin or cursor with 400", async () => {
    const bad = await app.inject({ method: "GET", url: "/v1/memory/en/es/entries?origin=robot", headers: headers() });
    expect(bad.statusCode).toBe(400);
    const cursor = await app.inject({ method: "GET", url: "/v1/memory/en/es/entries?after=zzz", headers: headers() });
    expect(cursor.statusCode).toBe(400);
  });
});
