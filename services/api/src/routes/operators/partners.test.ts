import { randomUUID } from "node:crypto";
import { createSource, createToken } from "@babelwire/db";
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
  testApp = await openTestApp("partners-test");
  ({ runtime, app } = testApp);
  admin = (await createToken(runtime.db, { role: "admin" })).token;
  editor = (await createToken(runtime.db, { role: "editor" })).token;
  sourceId = (await createSource(runtime.db, { url: "https://example.org/feed", targets: ["es"] })).id;
});

afterAll(() => testApp?.close());

const call = (method: "GET" | "POST" | "PATCH" | "DELETE", url: string, payload?: object, token = admin) =>
  app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload && { payload }) });

describe("/v1/partners", () => {
  it("creates a partner with normalized languages and shows its webhook secret once", async () => {
    const created = await call("POST", "/v1/partners", {
      name: "  El Diario  ",
      languages: ["ES", "ca", "pt_br", "es"],
      sources: [sourceId.toUpperCase()],
      webhookUrl: "https://hooks.example.org/babelwire",
    });
    expect(created.statusCode).toBe(201);
    const partner = created.json();
    expect(partner).toMatchObject({
      name: "El Diario",
      languages: ["es", "ca", "pt-BR"],
      sources: [sourceId],
      webhookUrl: "https://hooks.example.org/babelwire",
      allowPrivateWebhook: false,
    });
    expect(partner.id).toMatch(/^[0-9a-f-]{36}$/);
    // Standard Webhooks: the key in standard base64 after the prefix.
    expect(partner.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);

    const read = await call("GET", `/v1/partners/${partner.id}`);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual({ ...partner, secret: undefined, updatedAt: read.json().updatedAt });
    expect(read.body).not.toContain(partner.secret);
    const list = await call("GET", "/v1/partners");
    expect(list.json().nextCursor).toBeNull();
    expect(list.json().items.map((item: { id: string }) => item.id)).toContain(partner.id);
    expect(list.body).not.toContain(partner.secret);
  });

  it("licenses every source when sources is absent or null", async () => {
    const created = await call("POST", "/v1/partners", { name: "Every source", languages: ["uk"] });
    expect(created.json().sources).toBeNull();
    const narrowed = await call("PATCH", `/v1/partners/${created.json().id}`, { sources: [sourceId] });
    expect(narrowed.json().sources).toEqual([sourceId]);
    const widened = await call("PATCH", `/v1/partners/${created.json().id}`, {
      sources: null,
      allowPrivateWebhook: true,
    });
    expect(widened.json()).toMatchObject({ sources: null, allowPrivateWebhook: true, languages: ["uk"] });
  });

  it("changes only what a PATCH sends, removes the webhook with null, and deletes", async () => {
    const { id } = (
      await call("POST", "/v1/partners", { name: "Changing", languages: ["es"], webhookUrl: "http://a.example/" })
    ).json();
    const patched = await call("PATCH", `/v1/partners/${id}`, { languages: ["de"], webhookUrl: null });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ name: "Changing", languages: ["de"], webhookUrl: null });
    expect((await call("DELETE", `/v1/partners/${id}`)).statusCode).toBe(204);
    expect((await call("GET", `/v1/partners/${id}`)).statusCode).toBe(404);
    expect((await call("DELETE", `/v1/partners/${id}`)).statusCode).toBe(404);
    expect((await call("PATCH", `/v1/partners/${id}`, { name: "Ghost" })).statusCode).toBe(404);
  });

  const invalid: Array<[string, object, string]> = [
    ["no name", { languages: ["es"] }, "name"],
    ["a blank name", { name: "   ", languages: ["es"] }, "name"],
    ["no languages", { name: "x" }, "languages"],
    ["an empty language list", { name: "x", languages: [] }, "languages"],
    ["a language that is not BCP 47", { name: "x", languages: ["spanish!"] }, "languages"],
    ["a source that does not exist", { name: "x", languages: ["es"], sources: [randomUUID()] }, "sources"],
    ["a source id that is not one", { name: "x", languages: ["es"], sources: ["wire"] }, "sources.0"],
    ["an empty source list", { name: "x", languages: ["es"], sources: [] }, "sources"],
    ["a javascript: webhook", { name: "x", languages: ["es"], webhookUrl: "javascript:alert(1)" }, "webhookUrl"],
    ["a file: webhook", { name: "x", languages: ["es"], webhookUrl: "file:///etc/passwd" }, "webhookUrl"],
    ["a relative webhook", { name: "x", languages: ["es"], webhookUrl: "/hooks" }, "webhookUrl"],
    [
      "a webhook with credentials",
      { name: "x", languages: ["es"], webhookUrl: "https://u:p@a.example/" },
      "webhookUrl",
    ],
    ["an unknown field", { name: "x", languages: ["es"], colour: "red" }, ""],
  ];
  it.each(invalid)("refuses %s with 400 naming the field", async (_case, body, field) => {
    const response = await call("POST", "/v1/partners", body);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe("invalid_request");
    if (field) expect(response.json().error.field).toBe(field);
  });

  it("refuses a PATCH to an unknown source or a bad language, and leaves the partner as it was", async () => {
    const { id } = (await call("POST", "/v1/partners", { name: "Kept", languages: ["es"] })).json();
    const badSource = await call("PATCH", `/v1/partners/${id}`, { sources: [randomUUID()] });
    expect([badSource.statusCode, badSource.json().error.field]).toEqual([400, "sources"]);
    const badLanguage = await call("PATCH", `/v1/partners/${id}`, { languages: ["??"] });
    expect([badLanguage.statusCode, badLanguage.json().error.field]).toEqual([400, "languages"]);
    expect((await call("GET", `/v1/partners/${id}`)).json()).toMatchObject({ languages: ["es"], sources: null });
  });

  it("is for admins only", async () => {
    expect((await app.inject({ method: "GET", url: "/v1/partners" })).statusCode).toBe(401);
    const byEditor = await call("GET", "/v1/partners", undefined, editor);
    expect([byEditor.statusCode, byEditor.json().error.code]).toEqual([403, "forbidden"]);
    expect((await call("POST", "/v1/partners", { name: "x", languages: ["es"] }, editor)).statusCode).toBe(403);
  });
});

describe("POST /v1/tokens and partners", () => {
  it("issues a partner token only for an existing partner, and a partner id only to partner tokens", async () => {
    const { id } = (await call("POST", "/v1/partners", { name: "Token holder", languages: ["es"] })).json();
    const issued = await call("POST", "/v1/tokens", { role: "partner", partnerId: id });
    expect(issued.statusCode).toBe(201);
    expect(issued.json()).toMatchObject({ role: "partner", partnerId: id });
    const cases: Array<[object, string]> = [
      [{ role: "partner" }, "partnerId"],
      [{ role: "partner", partnerId: randomUUID() }, "partnerId"],
      [{ role: "editor", partnerId: id }, "partnerId"],
      [{ role: "admin", partnerId: id }, "partnerId"],
    ];
    for (const [body, field] of cases) {
      const response = await call("POST", "/v1/tokens", body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json().error.field).toBe(field);
    }
  });
});
