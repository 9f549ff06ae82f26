import { createPartner, createToken, ensureTranslation, transitionTranslation, upsertArticle } from "@babelwire/db";
import { testArticle } from "@babelwire/db/testing";
import type { Runtime } from "@babelwire/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiApp } from "./app.ts";
import { openTestApp, type TestApp } from "./testing/test-app.ts";

let testApp: TestApp;
let runtime: Runtime;
let app: ApiApp;
let admin: string;
let editor: string;
let partner: string;

beforeAll(async () => {
  testApp = await openTestApp("api-test");
  ({ runtime, app } = testApp);
  admin = (await createToken(runtime.db, { role: "admin" })).token;
  editor = (await createToken(runtime.db, { role: "editor" })).token;
  const outlet = await createPartner(runtime.db, { name: "Diario", languages: ["es"] });
  partner = (await createToken(runtime.db, { role: "partner", partnerId: outlet.id })).token;
});

afterAll(() => testApp?.close());

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

describe("bad input is a 400 with the contract's error shape, never a 500", () => {
  const cases: Array<[string, unknown, string]> = [
    ["a body without url", { name: "x" }, "url"],
    ["a url of the wrong type", { url: 42 }, "url"],
    ["an unknown review policy", { url: "https://example.org/feed", review: "sometimes" }, "review"],
    ["a target that is not a language tag", { url: "https://example.org/feed", targets: ["spanish!"] }, "targets"],
    ["an interval below a minute", { url: "https://example.org/feed", interval: "5s" }, "interval"],
    ["an unknown field", { url: "https://example.org/feed", colour: "red" }, ""],
    ["a javascript: url", { url: "javascript:alert(1)" }, "url"],
  ];
  it.each(cases)("POST /v1/sources with %s", async (_name, body, field) => {
    const response = await app.inject({
      method: "POST",
      url: "/v1/sources?check=false",
      headers: auth(admin),
      payload: body as object,
    });
    expect(response.statusCode).toBe(400);
    const json = response.json();
    expect(json.error.code).toMatch(/^[a-z_]+$/);
    expect(typeof json.error.message).toBe("string");
    if (field) expect(json.error.field).toBe(field);
  });

  it("answers malformed JSON with 400 invalid_json", async () => {
    const response = await app.inject({
      method: "POST",
      url: "/v1/sources?check=false",
      headers: { ...auth(admin), "content-type": "application/json" },
      payload: "{not json",
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe("invalid_json");
  });

  it("answers an over-long path parameter with 414 and a malformed path with 400, in the error shape", async () => {
    const long = await app.inject({ method: "GET", url: `/v1/sources/${"a".repeat(500)}`, headers: auth(admin) });
    expect(long.statusCode).toBe(414);
    expect(long.json()).toEqual({ error: { code: "uri_too_long", message: expect.any(String) } });
    const malformed = await app.inject({ method: "GET", url: "/v1/sources/%E0%A4%A", headers: auth(admin) });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe("bad_request");
  });

  it("answers a non-uuid id with 400 and an unknown one with 404", async () => {
    expect((await app.inject({ method: "GET", url: "/v1/sources/nope", headers: auth(admin) })).statusCode).toBe(400);
    const missing = await app.inject({
      method: "GET",
      url: `/v1/sources/${crypto.randomUUID()}`,
      headers: auth(admin),
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe("not_found");
  });

  it("refuses a body over the limit with 413", async () => {
    const response = await app.inject({
      method: "POST",
      url: "/v1/sources?check=false",
      headers: { ...auth(admin), "content-type": "application/json" },
      payload: JSON.stringify({ url: "https://example.org/feed", name: "x".repeat(2 * 1024 * 1024) }),
    });
    expect(response.statusCode).toBe(413);
    expect(response.json().error.code).toBe("payload_too_large");
  });

  it("answers a feed for a malformed language with 400", async () => {
    const response = await app.inject({ method: "GET", url: "/v1/feeds/not_a-language!.rss", headers: auth(partner) });
    expect(response.statusCode).toBe(400);
  });
});

describe("tokens and roles", () => {
  it("answers 401 without a token, 401 with an unknown one, 403 with a role that lacks the right", async () => {
    expect((await app.inject({ method: "GET", url: "/v1/sources" })).statusCode).toBe(401);
    expect((await app.inject({ method: "GET", url: "/v1/sources", headers: auth("bw_wrong") })).statusCode).toBe(401);
    const forbidden = await app.inject({
      method: "POST",
      url: "/v1/sources?check=false",
      headers: auth(editor),
      payload: { url: "https://example.org/x" },
    });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().error.code).toBe("forbidden");
    expect((await app.inject({ method: "GET", url: "/v1/tokens", headers: auth(partner) })).statusCode).toBe(403);
  });

  it("takes ?token= on feeds only", async () => {
    expect((await app.inject({ method: "GET", url: `/v1/feeds/es.rss?token=${partner}` })).statusCode).toBe(200);
    expect((await app.inject({ method: "GET", url: `/v1/sources?token=${admin}` })).statusCode).toBe(401);
  });

  it("creates a token shown once and refuses it after revocation", async () => {
    const created = await app.inject({
      method: "POST",
      url: "/v1/tokens",
      headers: auth(admin),
      payload: { role: "editor" },
    });
    expect(created.statusCode).toBe(201);
    const { id, token } = created.json();
    expect((await app.inject({ method: "GET", url: "/v1/sources", headers: auth(token) })).statusCode).toBe(200);
    const listed = await app.inject({ method: "GET", url: "/v1/tokens", headers: auth(admin) });
    expect(JSON.stringify(listed.json())).not.toContain(token);
    expect((await app.inject({ method: "DELETE", url: `/v1/tokens/${id}`, headers: auth(admin) })).statusCode).toBe(
      204,
    );
    expect((await app.inject({ method: "GET", url: "/v1/sources", headers: auth(token) })).statusCode).toBe(401);
  });
});

describe("sources", () => {
  it("creates a source with defaults, lists it with health, refuses a duplicate and deletes it", async () => {
    const created = await app.inject({
      method: "POST",
      url: "/v1/sources?check=false",
      headers: auth(admin),
      payload: { url: "https://example.org/rss", name: "Example", interval: "10m", review: "required" },
    });
    expect(created.statusCode).toBe(201);
    const source = created.json();
    expect(source).toMatchObject({
      url: "https://example.org/rss",
      targets: ["es", "ca"],
      interval: "10m",
      review: "required",
      language: "auto",
    });
    expect(source.health).toMatchObject({ consecutiveErrors: 0, errorCode: null });
    await upsertArticle(runtime.db, source.id, {
      guid: "today-1",
      url: "https://example.org/today-1",
      title: "Today",
      summary: "",
      contentHtml: "<p>x</p>",
      contentText: "x",
      language: "en",
      publishedAt: new Date().toISOString(),
      updatedAt: new Date().toISOString(),
      authors: [],
      categories: [],
      media: [],
      contentHash: "today-1",
    });
    const read = await app.inject({ method: "GET", url: `/v1/sources/${source.id}`, headers: auth(admin) });
    expect(read.json().health.itemsLastDay).toBe(1);
    const again = await app.inject({
      method: "POST",
      url: "/v1/sources?check=false",
      headers: auth(admin),
      payload: { url: "https://example.org/rss" },
    });
    expect(again.statusCode).toBe(409);
    const patched = await app.inject({
      method: "PATCH",
      url: `/v1/sources/${source.id}`,
      headers: auth(admin),
      payload: { targets: ["uk"] },
    });
    expect(patched.json().targets).toEqual(["uk"]);
    const perLanguage = await app.inject({
      method: "PATCH",
      url: `/v1/sources/${source.id}`,
      headers: auth(admin),
      payload: { review: "auto", reviewByLanguage: { UK: "required" } },
    });
    expect(perLanguage.json()).toMatchObject({ review: "auto", reviewByLanguage: { uk: "required" } });
    const badPolicy = await app.inject({
      method: "PATCH",
      url: `/v1/sources/${source.id}`,
      headers: auth(admin),
      payload: { reviewByLanguage: { uk: "sometimes" } },
    });
    expect(badPolicy.statusCode).toBe(400);
    const list = await app.inject({ method: "GET", url: "/v1/sources", headers: auth(editor) });
    expect(list.json().items.map((s: { id: string }) => s.id)).toContain(source.id);
    expect(
      (await app.inject({ method: "DELETE", url: `/v1/sources/${source.id}`, headers: auth(admin) })).statusCode,
    ).toBe(204);
    expect(
      (await app.inject({ method: "GET", url: `/v1/sources/${source.id}`, headers: auth(admin) })).statusCode,
    ).toBe(404);
  });
});

interface OpenApiOperation {
  summary?: string;
  security?: unknown[];
  responses: Record<string, unknown>;
}

describe("translations", () => {
  it("approves a translation in review, then answers 409 naming the state", async () => {
    const source = (
      await app.inject({
        method: "POST",
        url: "/v1/sources?check=false",
        headers: auth(admin),
        payload: { url: "https://example.org/t" },
      })
    ).json();
    const { id: articleId } = await upsertArticle(runtime.db, source.id, testArticle("g1"));
    const row = await ensureTranslation(runtime.db, articleId, "es", 1);
    await transitionTranslation(runtime.db, row.id, "start", { actor: "system" });
    await transitionTranslation(runtime.db, row.id, "finish", {
      actor: "system",
      machine: {
        title: "Hola",
        summary: "Entradilla",
        contentHtml: "<p>Cuerpo</p>",
        segments: [{ id: "s1", source: "<p>Body</p>", target: "<p>Cuerpo</p>" }],
        qa: [],
        engine: "apertium",
      },
    });
    const read = await app.inject({ method: "GET", url: `/v1/translations/${row.id}`, headers: auth(editor) });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({
      status: "in_review",
      title: "Hola",
      segments: [{ id: "s1", target: "<p>Cuerpo</p>" }],
    });
    expect(read.headers.etag).toBe(`"${read.json().version}"`);
    expect(
      (await app.inject({ method: "POST", url: `/v1/translations/${row.id}/approve`, headers: auth(partner) }))
        .statusCode,
    ).toBe(403);
    const approved = await app.inject({
      method: "POST",
      url: `/v1/translations/${row.id}/approve`,
      headers: { ...auth(editor), "if-match": read.headers.etag ?? "" },
    });
    expect(approved.statusCode).toBe(200);
    expect(approved.json().status).toBe("approved");
    const twice = await app.inject({
      method: "POST",
      url: `/v1/translations/${row.id}/approve`,
      headers: { ...auth(editor), "if-match": approved.headers.etag ?? "" },
    });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error).toMatchObject({ code: "illegal_transition" });
    expect(twice.json().error.message).toContain("approved");
  });
});

describe("localized errors", () => {
  it("answers in the caller's language where it can, with the same code", async () => {
    const spanish = await app.inject({
      method: "GET",
      url: "/v1/sources",
      headers: { "accept-language": "es-ES,es;q=0.9" },
    });
    expect(spanish.statusCode).toBe(401);
    expect(spanish.json().error.code).toBe("unauthorized");
    expect(spanish.json().error.message).toMatch(/token válido/);
    expect(spanish.headers["content-language"]).toBe("es");
    const ukrainian = await app.inject({
      method: "POST",
      url: "/v1/sources?check=false",
      headers: { ...auth(admin), "accept-language": "uk" },
      payload: { name: "x" },
    });
    expect(ukrainian.json().error).toMatchObject({ code: "invalid_request", field: "url" });
    expect(ukrainian.json().error.message).toMatch(/^Запит недійсний/);
    const french = await app.inject({ method: "GET", url: "/v1/sources", headers: { "accept-language": "fr" } });
    expect(french.json().error.message).toMatch(/needs a token/);
  });
});

describe("health and docs", () => {
  it("reports ready when Redis and the database answer", async () => {
    expect((await app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
    const ready = await app.inject({ method: "GET", url: "/readyz" });
    expect(ready.statusCode).toBe(200);
    expect(ready.json().checks).toEqual({ redis: "ok", database: "ok" });
  });

  it("documents every route in the OpenAPI document", async () => {
    const doc = (await app.inject({ method: "GET", url: "/docs/json" })).json();
    expect(doc.openapi).toMatch(/^3\.1\./);
    for (const path of [
      "/v1/sources",
      "/v1/sources/{id}",
      "/v1/sources/{id}/poll",
      "/v1/translations/{id}/approve",
      "/v1/translations/{id}",
      "/v1/translations/{id}/reject",
      "/v1/review",
      "/v1/review/counts",
      "/v1/articles/{id}/withdraw",
      "/v1/audit",
      "/v1/tokens",
      "/v1/queues",
      "/readyz",
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    expect(Object.keys(doc.paths).some((path) => path.startsWith("/v1/feeds/"))).toBe(true);
    // Every operation that needs a token documents what it answers without one and with bad input.
    for (const [path, operations] of Object.entries(doc.paths as Record<string, Record<string, OpenApiOperation>>)) {
      for (const [method, operation] of Object.entries(operations)) {
        if (!operation.security) continue;
        expect(Object.keys(operation.responses), `${method} ${path}`).toEqual(expect.arrayContaining(["401"]));
        expect(operation.summary, `${method} ${path}`).toBeTruthy();
      }
    }
  });
  it("documents the webhook partners receive: its events, and the Standard Webhooks headers beside the legacy ones", async () => {
    const doc = (await app.inject({ method: "GET", url: "/docs/json" })).json();
    const delivery = doc.webhooks?.delivery?.post;
    expect(delivery.parameters.map((parameter: { name: string }) => parameter.name)).toEqual([
      "webhook-id",
      "webhook-timestamp",
      "webhook-signature",
      "X-Babelwire-Event",
      "X-Babelwire-Delivery",
      "X-Babelwire-Signature",
    ]);
    expect(delivery.description).toContain("`<webhook-id>.<webhook-timestamp>.<raw body>`");
    expect(delivery.description).toContain("HMAC-SHA256");
    expect(delivery.requestBody.content["application/json"].schema.properties.event.enum).toEqual([
      "published",
      "updated",
      "withdrawn",
    ]);
  });
});
