import {
  createSource,
  ensureTranslation,
  getTranslation,
  listTranslationEvents,
  transitionTranslation,
  updateSource,
  upsertArticle,
} from "@babelwire/db";
import { openRuntime, type Runtime } from "@babelwire/runtime";
import { clearQueuePrefix, testConfig } from "@babelwire/runtime/testing";
import { createApertiumEngine } from "@babelwire/translate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TranslateDeps, translateArticle } from "./translate-article.ts";

let runtime: Runtime;
let deps: TranslateDeps;
const job = { id: "t", attempt: 1, maxAttempts: 3 };

const article = {
  url: "https://example.org/a",
  title: "NATO chief warns Europe",
  summary: "The Secretary General spoke in Budapest.",
  contentHtml: "<p>The <b>Alliance</b> spends 2% of GDP on defense.</p><p>He met 27 leaders in the city.</p>",
  contentText: "The Alliance spends 2% of GDP on defense.\n\nHe met 27 leaders in the city.",
  language: "en",
  publishedAt: "2026-11-01T10:00:00.000Z",
  updatedAt: "2026-11-01T10:00:00.000Z",
  authors: [],
  categories: [],
  media: [],
  contentHash: "h",
};

beforeAll(async () => {
  runtime = await openRuntime(testConfig(), "translate-test");
  deps = { db: runtime.db, queues: runtime.queues, engines: [createApertiumEngine()] };
});

afterAll(async () => {
  await clearQueuePrefix(runtime.redis, runtime.config.QUEUE_PREFIX);
  await runtime.close();
});

async function newArticle(review: "auto" | "required", guid: string) {
  const source = await createSource(runtime.db, { url: `https://example.org/${guid}`, targets: ["es"], review });
  return upsertArticle(runtime.db, source.id, { ...article, guid });
}

describe("translateArticle with Apertium", () => {
  it("translates title, summary and body keeping markup and numbers, and approves it under review auto", async () => {
    const { id } = await newArticle("auto", "auto-1");
    const outcome = await translateArticle(deps, { articleId: id, articleVersion: 1, lang: "es" }, job);
    expect(outcome).toMatchObject({ outcome: "translated", status: "approved", engine: "apertium" });
    if (outcome.outcome !== "translated") throw new Error("expected a translation");
    const row = await getTranslation(runtime.db, outcome.translationId);
    expect(row?.title).toMatch(/Europa/);
    expect(row?.summary).toMatch(/Budapest/);
    expect(row?.content_html).toContain("<b>");
    expect(row?.content_html).toMatch(/2%/);
    expect(row?.content_html).toMatch(/27/);
    expect(row?.segments).toHaveLength(2);
    expect(row?.qa.filter((flag) => flag.severity === "error")).toEqual([]);
    const publishJobs = await runtime.queues.counts();
    expect(publishJobs.find((queue) => queue.name === "publish")?.waiting).toBeGreaterThan(0);
  });

  it("does nothing the second time: a translation past translating is left alone", async () => {
    const { id } = await newArticle("auto", "auto-2");
    const first = await translateArticle(deps, { articleId: id, articleVersion: 1, lang: "es" }, job);
    const second = await translateArticle(deps, { articleId: id, articleVersion: 1, lang: "es" }, job);
    expect(second).toMatchObject({ outcome: "skipped" });
    if (first.outcome !== "translated") throw new Error("expected a translation");
    const events = await listTranslationEvents(runtime.db, first.translationId);
    expect(events.filter((event) => event.action === "finish")).toHaveLength(1);
  });

  it("approves a translation a stopped run left in review under review auto, once", async () => {
    // The state a crash between storing and approving leaves: in review, untouched, policy auto.
    const { id } = await newArticle("required", "stopped-1");
    const first = await translateArticle(deps, { articleId: id, articleVersion: 1, lang: "es" }, job);
    expect(first).toMatchObject({ outcome: "translated", status: "in_review" });
    if (first.outcome !== "translated") throw new Error("expected a translation");
    const row = await getTranslation(runtime.db, first.translationId);
    const sourceId = (
      await runtime.db.selectFrom("articles").select("source_id").where("id", "=", id).executeTakeFirstOrThrow()
    ).source_id;
    await updateSource(runtime.db, sourceId, { review: "auto" });
    const again = await translateArticle(deps, { articleId: id, articleVersion: 1, lang: "es" }, job);
    expect(again).toMatchObject({ outcome: "translated", status: "approved", translationId: first.translationId });
    const after = await getTranslation(runtime.db, first.translationId);
    expect(after?.title).toBe(row?.title);
    const events = await listTranslationEvents(runtime.db, first.translationId);
    expect(events.map((event) => event.action)).toEqual(["start", "finish", "approve"]);
    expect(await translateArticle(deps, { articleId: id, articleVersion: 1, lang: "es" }, job)).toMatchObject({
      outcome: "skipped",
    });
  });

  it("completes a run that died after claiming the row: stored and approved at once, every step in the history", async () => {
    // What a crash between the claim and the engine's answer leaves: the row in `translating`.
    const { id } = await newArticle("auto", "died-1");
    const claimed = await ensureTranslation(runtime.db, id, "es", 1);
    await transitionTranslation(runtime.db, claimed.id, "start", { actor: "system", detail: { attempt: 1 } });
    const retry = { ...job, attempt: 2 };
    const outcome = await translateArticle(deps, { articleId: id, articleVersion: 1, lang: "es" }, retry);
    expect(outcome).toMatchObject({ outcome: "translated", status: "approved", translationId: claimed.id });
    const row = await getTranslation(runtime.db, claimed.id);
    expect(row?.title).toMatch(/Europa/);
    const steps = async () =>
      (await listTranslationEvents(runtime.db, claimed.id)).map((event) => [event.action, event.to_status]);
    const expected = [
      ["start", "translating"],
      ["start", "translating"],
      ["finish", "in_review"],
      ["approve", "approved"],
    ];
    expect(await steps()).toEqual(expected);
    expect(await translateArticle(deps, { articleId: id, articleVersion: 1, lang: "es" }, retry)).toMatchObject({
      outcome: "skipped",
    });
    expect(await steps()).toEqual(expected);
    expect(await getTranslation(runtime.db, claimed.id)).toEqual(row);
  });

  it("leaves a translation in review when the source requires an editor", async () => {
    const { id } = await newArticle("required", "required-1");
    const outcome = await translateArticle(deps, { articleId: id, articleVersion: 1, lang: "es" }, job);
    expect(outcome).toMatchObject({ outcome: "translated", status: "in_review" });
  });

  it("marks the translation failed with the engine's code when no engine offers the pair", async () => {
    const { id } = await newArticle("auto", "unsupported-1");
    await expect(translateArticle(deps, { articleId: id, articleVersion: 1, lang: "ja" }, job)).rejects.toMatchObject({
      code: "ENGINE_PAIR_UNSUPPORTED",
    });
    const row = await runtime.db
      .selectFrom("translations")
      .selectAll()
      .where("article_id", "=", id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: "failed", error_code: "ENGINE_PAIR_UNSUPPORTED" });
  });

  it("skips a job for an older version of the article", async () => {
    const { id } = await newArticle("auto", "versions-1");
    const source = await runtime.db
      .selectFrom("articles")
      .select("source_id")
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    await upsertArticle(runtime.db, source.source_id, { ...article, guid: "versions-1", contentHash: "changed" });
    expect(await translateArticle(deps, { articleId: id, articleVersion: 1, lang: "es" }, job)).toMatchObject({
      outcome: "skipped",
    });
  });
});
