import { spawnSync } from "node:child_process";
import { createToken, recordEngineUsage, rememberSegments } from "@babelwire/db";
import type { Runtime } from "@babelwire/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiApp } from "../../app.ts";
import { openTestApp, type TestApp } from "../../testing/test-app.ts";

let testApp: TestApp;
let runtime: Runtime;
let app: ApiApp;
let editor: string;
let partner: string;

beforeAll(async () => {
  testApp = await openTestApp("glossary-test");
  ({ runtime, app } = testApp);
  editor = (await createToken(runtime.db, { role: "editor" })).token;
  partner = (await createToken(runtime.db, { role: "partner" })).token;
});

afterAll(() => testApp?.close());

const as = (token: string) => ({ authorization: `Bearer ${token}` });

describe("the glossary", () => {
  it("adds one entry or many, lists them longest first and deletes by term", async () => {
    const url = "/v1/glossary/en/es";
    const one = await app.inject({
      method: "PUT",
      url,
      headers: as(editor),
      payload: { term: "Trump", translation: "Trump" },
    });
    expect(one.json()).toEqual({ written: 1 });
    const many = await app.inject({
      method: "PUT",
      url: "/v1/glossary/en-GB/es",
      headers: as(editor),
      payload: [
        { term: "Donald Trump", translation: "Donald Trump" },
        { term: "Verkhovna Rada", translation: "Rada Suprema", caseSensitive: false },
      ],
    });
    expect(many.json()).toEqual({ written: 2 });
    const list = await app.inject({ method: "GET", url, headers: as(editor) });
    expect(list.json().items).toEqual([
      { term: "Verkhovna Rada", translation: "Rada Suprema", caseSensitive: false },
      { term: "Donald Trump", translation: "Donald Trump", caseSensitive: true },
      { term: "Trump", translation: "Trump", caseSensitive: true },
    ]);
    const deleted = await app.inject({ method: "DELETE", url: `${url}?term=Trump`, headers: as(editor) });
    expect(deleted.json()).toEqual({ deleted: 1 });
    const missing = await app.inject({ method: "DELETE", url: `${url}?term=Trump`, headers: as(editor) });
    expect(missing.statusCode).toBe(404);
    const rest = await app.inject({ method: "GET", url, headers: as(editor) });
    expect(rest.json().items).toHaveLength(2);
  });

  it("refuses a term or translation of whitespace or punctuation only, trimmed first, naming the field", async () => {
    const url = "/v1/glossary/en/ca";
    for (const [payload, field] of [
      [{ term: "   ", translation: "x" }, "term"],
      [{ term: "NATO", translation: " \t " }, "translation"],
      [
        [
          { term: "ok", translation: "ok" },
          { term: " -- ", translation: "x" },
        ],
        "[1].term",
      ],
    ] as const) {
      const response = await app.inject({ method: "PUT", url, headers: as(editor), payload: payload as object });
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json().error).toMatchObject({ code: "invalid_request", field });
    }
    expect((await app.inject({ method: "GET", url, headers: as(editor) })).json().items).toEqual([]);
    await app.inject({ method: "PUT", url, headers: as(editor), payload: { term: " EU ", translation: " UE " } });
    const deleted = await app.inject({ method: "DELETE", url: `${url}?term=%20EU%20`, headers: as(editor) });
    expect(deleted.json()).toEqual({ deleted: 1 });
  });

  it("refuses a malformed pair or entry, and partners", async () => {
    const badTag = await app.inject({ method: "GET", url: "/v1/glossary/english/es", headers: as(editor) });
    expect(badTag.statusCode).toBe(400);
    expect(badTag.json().error.field).toBe("from");
    const badEntry = await app.inject({
      method: "PUT",
      url: "/v1/glossary/en/es",
      headers: as(editor),
      payload: { term: "" },
    });
    expect(badEntry.statusCode).toBe(400);
    expect((await app.inject({ method: "GET", url: "/v1/glossary/en/es", headers: as(partner) })).statusCode).toBe(403);
  });
});

describe("translation memory export", () => {
  it("exports a pair's memory as well-formed TMX 1.4 with markup escaped", async () => {
    await rememberSegments(
      runtime.db,
      { from: "en", to: "ca" },
      [{ source: "<p>Drones & <b>missiles</b></p>", target: "<p>Drons i <b>míssils</b></p>" }],
      "human",
    );
    const response = await app.inject({ method: "GET", url: "/v1/memory/en/ca.tmx", headers: as(editor) });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^application\/x-tmx\+xml/);
    const tmx = response.body;
    expect(tmx).toContain('<tmx version="1.4">');
    expect(tmx).toContain("<seg>&lt;p&gt;Drones &amp; &lt;b&gt;missiles&lt;/b&gt;&lt;/p&gt;</seg>");
    expect(tmx).toContain('<prop type="x-origin">human</prop>');
    const lint = spawnSync("xmllint", ["--noout", "-"], { input: tmx });
    expect(lint.status, lint.stderr?.toString()).toBe(0);
  });
});

describe("engine usage", () => {
  it("sums requests, characters and errors per engine and day, for admins only", async () => {
    const day = new Date();
    await recordEngineUsage(runtime.db, [{ engine: "deepl", requests: 1, characters: 1200, errors: 0 }], day);
    await recordEngineUsage(
      runtime.db,
      [
        { engine: "deepl", requests: 1, characters: 0, errors: 1 },
        { engine: "apertium", requests: 1, characters: 800, errors: 0 },
      ],
      day,
    );
    const admin = (await createToken(runtime.db, { role: "admin" })).token;
    const response = await app.inject({ method: "GET", url: "/v1/engines/usage?days=1", headers: as(admin) });
    expect(response.json().items).toEqual([
      { engine: "apertium", day: day.toISOString().slice(0, 10), requests: 1, characters: 800, errors: 0 },
      { engine: "deepl", day: day.toISOString().slice(0, 10), requests: 2, characters: 1200, errors: 1 },
    ]);
    expect((await app.inject({ method: "GET", url: "/v1/engines/usage", headers: as(editor) })).statusCode).toBe(403);
  });
});
