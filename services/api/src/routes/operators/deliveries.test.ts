import {
  createPartner,
  createSource,
  createToken,
  ensureDelivery,
  ensureTranslation,
  recordDeliveryAttempt,
  transitionTranslation,
  upsertArticle,
} from "@babelwire/db";
import { testArticle } from "@babelwire/db/testing";
import type { JobPayload, Workers } from "@babelwire/queue";
import { type Runtime, startService } from "@babelwire/runtime";
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
  testApp = await openTestApp("deliveries-test");
  ({ runtime, app } = testApp);
  admin = (await createToken(runtime.db, { role: "admin" })).token;
  editor = (await createToken(runtime.db, { role: "editor" })).token;
  sourceId = (await createSource(runtime.db, { url: "https://example.org/feed", targets: ["es", "ca"] })).id;
});

afterAll(() => testApp?.close());

const as = (token: string) => ({ authorization: `Bearer ${token}` });

/** A published translation of a new article, in one language. */
async function published(guid: string, lang: string) {
  const { id: articleId } = await upsertArticle(runtime.db, sourceId, testArticle(guid));
  const { id } = await ensureTranslation(runtime.db, articleId, lang, 1);
  const machine = { title: "T", summary: "S", contentHtml: "<p>B</p>", segments: [], qa: [], engine: "apertium" };
  for (const action of ["start", "finish", "approve", "publish"] as const) {
    await transitionTranslation(runtime.db, id, action, { actor: "system", ...(action === "finish" && { machine }) });
  }
  return { articleId, translationId: id };
}

describe("GET /v1/partners/{id}/deliveries", () => {
  it("lists a partner's deliveries newest first with their outcome, page by page", async () => {
    const outlet = await createPartner(runtime.db, {
      name: "Outlet",
      languages: ["es"],
      webhookUrl: "https://x.test/h",
    });
    const other = await createPartner(runtime.db, { name: "Other", languages: ["es"], webhookUrl: "https://y.test/h" });
    const item = await published("listed", "es");
    const delivery = (partnerId: string, event: "published" | "updated" | "withdrawn", liveVersion: number) =>
      ensureDelivery(runtime.db, { partnerId, event, ...item, lang: "es", liveVersion });
    const first = await delivery(outlet.id, "published", 1);
    await recordDeliveryAttempt(runtime.db, first.id, {
      status: 503,
      error: "WEBHOOK_HTTP_503: down",
      outcome: "pending",
    });
    await recordDeliveryAttempt(runtime.db, first.id, { status: 200, error: null, outcome: "delivered" });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await delivery(outlet.id, "updated", 2);
    await recordDeliveryAttempt(runtime.db, second.id, {
      status: null,
      error: "WEBHOOK_TIMEOUT: did not answer",
      outcome: "failed",
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const third = await delivery(outlet.id, "withdrawn", 2);
    await delivery(other.id, "published", 1);

    const page = await app.inject({ url: `/v1/partners/${outlet.id}/deliveries?limit=2`, headers: as(admin) });
    expect(page.statusCode).toBe(200);
    const body = page.json();
    expect(body.items.map((entry: { id: string }) => entry.id)).toEqual([third.id, second.id]);
    expect(body.items[0]).toMatchObject({
      event: "withdrawn",
      articleId: item.articleId,
      translationId: item.translationId,
      lang: "es",
      version: 2,
      status: "pending",
      attempts: 0,
      lastStatus: null,
      lastError: null,
      deliveredAt: null,
    });
    expect(body.items[1]).toMatchObject({
      status: "failed",
      attempts: 1,
      lastError: "WEBHOOK_TIMEOUT: did not answer",
    });

    const next = await app.inject({
      url: `/v1/partners/${outlet.id}/deliveries?limit=2&cursor=${body.nextCursor}`,
      headers: as(admin),
    });
    expect(next.json().items).toHaveLength(1);
    expect(next.json().items[0]).toMatchObject({ id: first.id, status: "delivered", attempts: 2, lastStatus: 200 });
    expect(Date.parse(next.json().items[0].deliveredAt)).not.toBeNaN();
    expect(next.json().nextCursor).toBeNull();
  });

  it("is for admins only, answers 404 for an unknown partner and 400 for a cursor it never gave", async () => {
    const outlet = await createPartner(runtime.db, { name: "Guarded", languages: ["es"] });
    const url = `/v1/partners/${outlet.id}/deliveries`;
    expect((await app.inject({ url })).statusCode).toBe(401);
    expect((await app.inject({ url, headers: as(editor) })).statusCode).toBe(403);
    const unknown = await app.inject({ url: `/v1/partners/${crypto.randomUUID()}/deliveries`, headers: as(admin) });
    expect(unknown.statusCode).toBe(404);
    expect((await app.inject({ url: `${url}?cursor=nonsense`, headers: as(admin) })).statusCode).toBe(400);
    expect((await app.inject({ url, headers: as(admin) })).json()).toEqual({ items: [], nextCursor: null });
  });
});

describe("POST /v1/articles/{id}/withdraw", () => {
  let workers: Workers | undefined;
  afterAll(async () => workers?.close());

  it("queues the publisher for every language version that was live, so partners that got it hear of it", async () => {
    const spanish = await published("killed", "es");
    const catalan = await ensureTranslation(runtime.db, spanish.articleId, "ca", 1);
    const taken: Array<JobPayload<"publish">> = [];
    workers = await startService(runtime, { handlers: { publish: async (payload) => taken.push(payload) } });

    const response = await app.inject({
      method: "POST",
      url: `/v1/articles/${spanish.articleId}/withdraw`,
      headers: as(editor),
      payload: { reason: "legal" },
    });
    expect(response.statusCode).toBe(200);
    const deadline = Date.now() + 10_000;
    while (taken.length < 1 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    await new Promise((resolve) => setTimeout(resolve, 200));

    // The Catalan version was never live: no partner can have received it.
    expect(taken.map((payload) => payload.translationId)).toEqual([spanish.translationId]);
    expect(taken.map((payload) => payload.translationId)).not.toContain(catalan.id);
  });
});
