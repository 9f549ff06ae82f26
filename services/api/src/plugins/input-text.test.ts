import { createSource, createToken, ensureTranslation, getTranslation, upsertArticle } from "@babelwire/db";
import { testArticle } from "@babelwire/db/testing";
import type { Runtime } from "@babelwire/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiApp } from "../app.ts";
import { openTestApp, type TestApp } from "../testing/test-app.ts";

let testApp: TestApp;
let runtime: Runtime;
let app: ApiApp;
let admin: string;

beforeAll(async () => {
  testApp = await openTestApp("input-text-test");
  ({ runtime, app } = testApp);
  admin = (await createToken(runtime.db, { role: "admin" })).token;
});

afterAll(() => testApp?.close());

const send = (method: "POST" | "GET", url: string, payload?: object) =>
  app.inject({ method, url, headers: { authorization: `Bearer ${admin}` }, payload });

describe("text no database can store is a 400 naming the field, never a 500", () => {
  it("refuses NUL and unpaired surrogates in names, labels, terms and reasons", async () => {
    const cases: Array<[string, string, unknown, string]> = [
      ["POST", "/v1/sources", { url: "https://example.org/nul", targets: ["es"], name: "Wire\u0000" }, "name"],
      [
        "POST",
        "/v1/sources",
        { url: "https://example.org/nul2", targets: ["es"], usageTerms: "Terms \u0000" },
        "usageTerms",
      ],
      ["POST", "/v1/partners", { name: "Partner\u0000", languages: ["es"] }, "name"],
      ["POST", "/v1/tokens", { role: "editor", label: "Ana\u0000" }, "label"],
      ["PUT", "/v1/glossary/en/es", [{ term: "NATO\u0000", translation: "OTAN" }], "[0].term"],
      ["GET", "/v1/audit?actor=a%00b", undefined, "actor"],
    ];
    for (const [method, url, payload, field] of cases) {
      const response = await app.inject({
        method: method as "POST",
        url,
        headers: { authorization: `Bearer ${admin}` },
        ...(payload !== undefined && { payload: payload as object }),
      });
      expect(response.statusCode, `${method} ${url}`).toBe(400);
      expect(response.json().error, `${method} ${url}`).toMatchObject({ code: "invalid_request", field });
    }
  });

  it("refuses a lone surrogate in a withdrawal's reason and leaves the article live", async () => {
    const source = await createSource(runtime.db, { url: "https://example.org/surrogate", targets: ["es"] });
    const { id: articleId } = await upsertArticle(runtime.db, source.id, testArticle("surrogate-1"));
    const translation = await ensureTranslation(runtime.db, articleId, "es", 1);
    const response = await send("POST", `/v1/articles/${articleId}/withdraw`, { reason: "legal \ud800" });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.field).toBe("reason");
    expect((await getTranslation(runtime.db, translation.id))?.status).toBe("queued");
    const article = await runtime.db
      .selectFrom("articles")
      .select("withdrawn_at")
      .where("id", "=", articleId)
      .executeTakeFirst();
    expect(article?.withdrawn_at).toBeNull();
  });

  it("refuses a leap second, which no Date can hold, in expiresAt and since", async () => {
    const token = await send("POST", "/v1/tokens", { role: "editor", expiresAt: "2030-12-31T23:59:60Z" });
    expect(token.statusCode).toBe(400);
    expect(token.json().error.field).toBe("expiresAt");
    const sync = await send("GET", `/v1/articles?lang=es&since=${encodeURIComponent("2016-12-31T23:59:60Z")}`);
    expect(sync.statusCode).toBe(400);
    expect(sync.json().error.field).toBe("since");
  });
});
