import { createPartner, createToken, ensureTranslation, transitionTranslation, upsertArticle } from "@babelwire/db";
import { testArticle } from "@babelwire/db/testing";
import type { Runtime } from "@babelwire/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiApp } from "../../app.ts";
import { openTestApp, type TestApp } from "../../testing/test-app.ts";

let testApp: TestApp;
let runtime: Runtime;
let app: ApiApp;
let admin: string;
let partner: string;

const TERMS_URL = "https://agency.example/licence";

beforeAll(async () => {
  testApp = await openTestApp("source-rights-test");
  ({ runtime, app } = testApp);
  admin = (await createToken(runtime.db, { role: "admin" })).token;
  const reader = await createPartner(runtime.db, { name: "Outlet", languages: ["es"] });
  partner = (await createToken(runtime.db, { role: "partner", partnerId: reader.id })).token;
});

afterAll(() => testApp?.close());

const as = (token: string) => ({ authorization: `Bearer ${token}` });

async function publishedArticle(sourceId: string): Promise<string> {
  const { id } = await upsertArticle(
    runtime.db,
    sourceId,
    testArticle("rights-1", {
      url: "https://agency.example/news/1",
      title: "Story",
      publishedAt: "2025-03-01T10:00:00.000Z",
      updatedAt: "2025-03-01T10:00:00.000Z",
    }),
  );
  const row = await ensureTranslation(runtime.db, id, "es", 1);
  const machine = { title: "Noticia", summary: "", contentHtml: "<p>Cuerpo</p>", segments: [], qa: [] };
  await transitionTranslation(runtime.db, row.id, "start", { actor: "system" });
  await transitionTranslation(runtime.db, row.id, "finish", { actor: "system", machine: { ...machine, engine: "x" } });
  await transitionTranslation(runtime.db, row.id, "approve", { actor: "system" });
  await transitionTranslation(runtime.db, row.id, "publish", { actor: "system" });
  return id;
}

describe("a source's rights, from the operator to the partner", () => {
  it("refuses a terms link that is not http(s) with 400", async () => {
    const response = await app.inject({
      method: "POST",
      url: "/v1/sources?check=false",
      headers: as(admin),
      payload: { url: "https://agency.example/bad.rss", rightsUrl: "javascript:alert(1)" },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: { code: "invalid_request", field: "rightsUrl" } });
  });

  it("stores terms and link, sends them in ninjs and RSS, and a PATCH with null restores the defaults", async () => {
    const created = await app.inject({
      method: "POST",
      url: "/v1/sources?check=false",
      headers: as(admin),
      payload: {
        url: "https://agency.example/wire.rss",
        name: "Agency",
        rightsUrl: TERMS_URL,
        usageTerms: "No resale.",
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const source = created.json();
    expect(source).toMatchObject({ rightsUrl: TERMS_URL, usageTerms: "No resale." });

    const articleId = await publishedArticle(source.id);
    const item = (await app.inject({ url: `/v1/articles/${articleId}?lang=es`, headers: as(partner) })).json();
    expect(item).toMatchObject({
      copyrightholder: "Agency",
      copyrightnotice: "© 2025 Agency",
      usageterms: "No resale.",
      rightsinfo: { linkedrights: TERMS_URL },
    });
    const rss = await app.inject({ url: "/v1/feeds/es.rss", headers: as(partner) });
    expect(rss.body).toContain(`<dc:rights>© 2025 Agency. No resale. ${TERMS_URL}</dc:rights>`);

    const patched = await app.inject({
      method: "PATCH",
      url: `/v1/sources/${source.id}`,
      headers: as(admin),
      payload: { rightsUrl: null, usageTerms: null },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ rightsUrl: null, usageTerms: null });
    const plain = (await app.inject({ url: `/v1/articles/${articleId}?lang=es`, headers: as(partner) })).json();
    expect(plain).not.toHaveProperty("rightsinfo");
    expect(plain.usageterms).toMatch(/^Licencia de republicación .* Agency/);
  });
});
