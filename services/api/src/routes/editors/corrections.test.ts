import {
  createPartner,
  createSource,
  createToken,
  ensureTranslation,
  transitionTranslation,
  upsertArticle,
} from "@babelwire/db";
import { testArticle } from "@babelwire/db/testing";
import { publishTranslation } from "@babelwire/publisher";
import type { Runtime } from "@babelwire/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiApp } from "../../app.ts";
import { openTestApp, type TestApp } from "../../testing/test-app.ts";

let testApp: TestApp;
let runtime: Runtime;
let app: ApiApp;
let editor: string;
let partner: string;
let sourceId: string;

beforeAll(async () => {
  testApp = await openTestApp("corrections-test");
  ({ runtime, app } = testApp);
  editor = (await createToken(runtime.db, { role: "editor", label: "Ana editor" })).token;
  const outlet = await createPartner(runtime.db, {
    name: "Diario",
    languages: ["es"],
    webhookUrl: "https://diario.example/hooks/babelwire",
  });
  partner = (await createToken(runtime.db, { role: "partner", partnerId: outlet.id })).token;
  sourceId = (
    await createSource(runtime.db, { url: "https://example.org/corrections", targets: ["es"], review: "required" })
  ).id;
});

afterAll(() => testApp?.close());

const editorHeaders = (version: number) => ({ authorization: `Bearer ${editor}`, "if-match": `"${version}"` });

/** What the publisher does after an approval: the job, run here in-process. */
async function publish(translationId: string) {
  await publishTranslation(runtime, { translationId });
}

async function published(guid: string) {
  const { id: articleId } = await upsertArticle(
    runtime.db,
    sourceId,
    testArticle(guid, { title: "Rutte in Kyiv", contentHtml: "<p>One.</p>", contentText: "One." }),
  );
  const row = await ensureTranslation(runtime.db, articleId, "es", 1);
  await transitionTranslation(runtime.db, row.id, "start", { actor: "system" });
  const review = await transitionTranslation(runtime.db, row.id, "finish", {
    actor: "system",
    machine: {
      title: "Rutte en Kyiv",
      summary: "Entradilla",
      contentHtml: "<p>Uno, con un error.</p>",
      segments: [{ id: "s1", source: "<p>One.</p>", target: "<p>Uno, con un error.</p>" }],
      qa: [],
      engine: "apertium",
    },
  });
  const approved = await app.inject({
    method: "POST",
    url: `/v1/translations/${row.id}/approve`,
    headers: editorHeaders(review.version),
  });
  expect(approved.statusCode).toBe(200);
  await publish(row.id);
  return { articleId, translationId: row.id };
}

async function partnerView(articleId: string) {
  const [feed, ninjs] = await Promise.all([
    app.inject({ method: "GET", url: `/v1/feeds/es.rss?token=${partner}` }),
    app.inject({
      method: "GET",
      url: `/v1/articles/${articleId}?lang=es`,
      headers: { authorization: `Bearer ${partner}` },
    }),
  ]);
  return { feed: feed.body, ninjs: ninjs.json() as { version: string } };
}

async function deliveries(translationId: string) {
  return runtime.db
    .selectFrom("deliveries")
    .select(["event", "live_version"])
    .where("translation_id", "=", translationId)
    .orderBy("live_version")
    .execute();
}

describe("correcting a published translation", () => {
  it("takes the correction as a new version through review; partners keep the old text until it is approved", async () => {
    const { articleId, translationId } = await published("correction-1");
    const before = await partnerView(articleId);
    expect(before.feed).toContain("Uno, con un error.");
    const read = await app.inject({
      method: "GET",
      url: `/v1/translations/${translationId}`,
      headers: { authorization: `Bearer ${editor}` },
    });
    expect(read.json().status).toBe("published");

    const corrected = await app.inject({
      method: "PATCH",
      url: `/v1/translations/${translationId}`,
      headers: editorHeaders(read.json().version),
      payload: { segments: [{ id: "s1", target: "<p>Uno, corregido.</p>" }] },
    });
    expect(corrected.statusCode).toBe(200);
    expect(corrected.json()).toMatchObject({ status: "in_review", segments: [{ target: "<p>Uno, corregido.</p>" }] });
    const queue = await app.inject({
      method: "GET",
      url: "/v1/review?lang=es",
      headers: { authorization: `Bearer ${editor}` },
    });
    expect(queue.json().items.map((item: { id: string }) => item.id)).toContain(translationId);

    // Until approval the old text stays live, at the same version.
    const during = await partnerView(articleId);
    expect(during.feed).toContain("Uno, con un error.");
    expect(during.feed).not.toContain("corregido");
    expect(during.ninjs.version).toBe(before.ninjs.version);

    const approved = await app.inject({
      method: "POST",
      url: `/v1/translations/${translationId}/approve`,
      headers: editorHeaders(corrected.json().version),
    });
    expect(approved.statusCode).toBe(200);
    await publish(translationId);

    const after = await partnerView(articleId);
    expect(after.feed).toContain("Uno, corregido.");
    expect(after.feed).not.toContain("con un error");
    expect(JSON.stringify(after.ninjs)).toContain("corregido");
    expect(Number(after.ninjs.version)).toBeGreaterThan(Number(before.ninjs.version));
    expect((await deliveries(translationId)).map((row) => row.event)).toEqual(["published", "updated"]);
  });

  it("still needs the version read: a stale If-Match on a published translation is 412", async () => {
    const { translationId } = await published("correction-2");
    const stale = await app.inject({
      method: "PATCH",
      url: `/v1/translations/${translationId}`,
      headers: editorHeaders(1),
      payload: { title: "Otro" },
    });
    expect(stale.statusCode).toBe(412);
  });
});
