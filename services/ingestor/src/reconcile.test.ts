import { createSource, ensureTranslation, transitionTranslation, upsertArticle } from "@babelwire/db";
import { openRuntime, type Runtime } from "@babelwire/runtime";
import { clearQueuePrefix, testConfig } from "@babelwire/runtime/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import { reconcile } from "./reconcile.ts";

let runtime: Runtime;

beforeAll(async () => {
  runtime = await openRuntime(testConfig(), "reconcile-test");
});

afterAll(async () => {
  await clearQueuePrefix(runtime.redis, runtime.config.QUEUE_PREFIX);
  await runtime.close();
});

it("re-creates poll schedules and re-enqueues pending work after Redis lost everything, once", async () => {
  const source = await createSource(runtime.db, { url: "https://example.org/feed", targets: ["es", "ca"] });
  const { id } = await upsertArticle(runtime.db, source.id, {
    guid: "g",
    url: null,
    title: "T",
    summary: "",
    contentHtml: "<p>B</p>",
    contentText: "B",
    language: "en",
    publishedAt: "2026-11-01T00:00:00.000Z",
    updatedAt: "2026-11-01T00:00:00.000Z",
    authors: [],
    categories: [],
    media: [],
    contentHash: "h",
  });
  await ensureTranslation(runtime.db, id, "es", 1);
  const approved = await ensureTranslation(runtime.db, id, "ca", 1);
  await transitionTranslation(runtime.db, approved.id, "start", { actor: "system" });
  const machine = { title: "T", summary: "", contentHtml: "<p>B</p>", segments: [], qa: [], engine: "apertium" };
  await transitionTranslation(runtime.db, approved.id, "finish", { actor: "system", machine });
  await transitionTranslation(runtime.db, approved.id, "approve", { actor: "system" });

  expect(await reconcile(runtime.db, runtime.queues)).toEqual({ schedules: 1, translations: 1, publishes: 1 });
  await reconcile(runtime.db, runtime.queues);
  const counts = Object.fromEntries((await runtime.queues.counts()).map((queue) => [queue.name, queue]));
  expect(counts.translate?.waiting).toBe(1);
  // The scheduler's first poll is due at once; it is there exactly once however often we reconcile.
  expect((counts.poll?.waiting ?? 0) + (counts.poll?.delayed ?? 0)).toBe(1);
  expect(counts.publish?.waiting).toBeGreaterThanOrEqual(1);
});
