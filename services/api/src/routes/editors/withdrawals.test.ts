import {
  createSource,
  createToken,
  ensureTranslation,
  getTranslation,
  listAudit,
  listPublished,
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

beforeAll(async () => {
  testApp = await openTestApp("withdrawals-test");
  ({ runtime, app } = testApp);
  editor = (await createToken(runtime.db, { role: "editor" })).token;
  sourceId = (await createSource(runtime.db, { url: "https://example.org/kills", targets: ["es", "ca"] })).id;
});

afterAll(() => testApp?.close());

const post = (url: string, reason = "legal") =>
  app.inject({ method: "POST", url, headers: { authorization: `Bearer ${editor}` }, payload: { reason } });

/** An article live in Spanish and still queued in Catalan. */
async function liveInSpanish(guid: string) {
  const { id: articleId } = await upsertArticle(runtime.db, sourceId, testArticle(guid, { title: "Story" }));
  const es = await ensureTranslation(runtime.db, articleId, "es", 1);
  const ca = await ensureTranslation(runtime.db, articleId, "ca", 1);
  await transitionTranslation(runtime.db, es.id, "start", { actor: "system" });
  const machine = {
    title: "Historia",
    summary: "",
    contentHtml: "<p>Uno.</p>",
    segments: [{ id: "s1", source: "<p>One.</p>", target: "<p>Uno.</p>" }],
    qa: [],
    engine: "apertium",
  };
  await transitionTranslation(runtime.db, es.id, "finish", { actor: "system", machine });
  await transitionTranslation(runtime.db, es.id, "approve", { actor: "editor" });
  await transitionTranslation(runtime.db, es.id, "publish", { actor: "system" });
  return { articleId, es: es.id, ca: ca.id };
}

describe("reinstating a withdrawn article", () => {
  it("brings the last approved text back live, starts the never-published language over, and is audited", async () => {
    const { articleId, es, ca } = await liveInSpanish("reinstate-1");
    const before = await getTranslation(runtime.db, es);
    expect((await post(`/v1/articles/${articleId}/withdraw`)).statusCode).toBe(200);
    expect(await listPublished(runtime.db, { articleId, limit: 10 })).toEqual([]);

    const reinstated = await post(`/v1/articles/${articleId}/reinstate`, "withdrawn by mistake");
    expect(reinstated.statusCode).toBe(200);
    expect(reinstated.json()).toEqual({ id: articleId, republished: [es], requeued: [ca] });
    const live = await listPublished(runtime.db, { articleId, limit: 10 });
    expect(live.map((item) => [item.lang, item.status, item.title])).toEqual([["es", "published", "Historia"]]);
    // A new live version, so webhook partners are told `published` once more.
    expect(live[0]?.version).toBeGreaterThan(before?.live_version ?? 0);
    expect((await getTranslation(runtime.db, ca))?.status).toBe("queued");
    const audit = await listAudit(runtime.db, { limit: 50 });
    expect(audit.some((entry) => entry.route === "/v1/articles/:id/reinstate" && entry.status === 200)).toBe(true);
  });

  it("refuses an article that is not withdrawn with 409 not_withdrawn", async () => {
    const { articleId } = await liveInSpanish("reinstate-2");
    const refused = await post(`/v1/articles/${articleId}/reinstate`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe("not_withdrawn");
  });

  it("keeps the old text live and queues the version that arrived while the article was withdrawn", async () => {
    const { articleId, es } = await liveInSpanish("reinstate-3");
    await post(`/v1/articles/${articleId}/withdraw`);
    const changed = await upsertArticle(
      runtime.db,
      sourceId,
      testArticle("reinstate-3", { title: "Story, updated", contentHash: "changed" }),
    );
    expect(changed).toMatchObject({ version: 2, withdrawn: true });
    expect((await post(`/v1/articles/${articleId}/reinstate`)).statusCode).toBe(200);
    expect(await getTranslation(runtime.db, es)).toMatchObject({ status: "queued", article_version: 2 });
    const live = await listPublished(runtime.db, { articleId, limit: 10 });
    expect(live.map((item) => item.title)).toEqual(["Historia"]);
  });
});
