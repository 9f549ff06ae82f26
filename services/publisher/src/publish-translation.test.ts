import {
  createSource,
  type Db,
  ensureTranslation,
  getTranslation,
  transitionTranslation,
  upsertArticle,
} from "@babelwire/db";
import { testArticle } from "@babelwire/db/testing";
import { openRuntime, type Runtime } from "@babelwire/runtime";
import { clearQueuePrefix, testConfig } from "@babelwire/runtime/testing";
import { feedGenerationKey } from "@babelwire/syndicate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publishTranslation } from "./publish-translation.ts";

let runtime: Runtime;
let sourceId: string;

beforeAll(async () => {
  runtime = await openRuntime(testConfig(), "publisher-test");
  sourceId = (await createSource(runtime.db, { url: "https://example.org/feed", targets: ["es", "ca"] })).id;
});

afterAll(async () => {
  await clearQueuePrefix(runtime.redis, runtime.config.QUEUE_PREFIX);
  await runtime?.close();
});

/** A translation taken as far as `until` by the steps before the publisher. */
async function translation(db: Db, guid: string, lang: string, until: "approved" | "in_review") {
  const { id: articleId } = await upsertArticle(db, sourceId, testArticle(guid));
  const row = await ensureTranslation(db, articleId, lang, 1);
  const machine = { title: "T", summary: "S", contentHtml: "<p>B</p>", segments: [], qa: [], engine: "apertium" };
  await transitionTranslation(db, row.id, "start", { actor: "system" });
  await transitionTranslation(db, row.id, "finish", { actor: "system", machine });
  if (until === "approved") await transitionTranslation(db, row.id, "approve", { actor: "token:editor" });
  return row.id;
}

const generation = async (lang: string) =>
  Number((await runtime.redis.get(feedGenerationKey(runtime.config.QUEUE_PREFIX, lang))) ?? 0);

describe("publishTranslation", () => {
  it("publishes an approved translation and invalidates the cached feeds of its language only", async () => {
    const id = await translation(runtime.db, "a", "ca", "approved");
    const [catalan, spanish] = [await generation("ca"), await generation("es")];
    expect(await publishTranslation(runtime, { translationId: id })).toEqual({ outcome: "published" });
    expect((await getTranslation(runtime.db, id))?.status).toBe("published");
    expect(await generation("ca")).toBe(catalan + 1);
    expect(await generation("es")).toBe(spanish);
  });

  it("invalidates again when the job runs twice, in case the first run never reached Redis", async () => {
    const id = await translation(runtime.db, "b", "es", "approved");
    await publishTranslation(runtime, { translationId: id });
    const before = await generation("es");
    expect(await publishTranslation(runtime, { translationId: id })).toEqual({ outcome: "already_published" });
    expect(await generation("es")).toBe(before + 1);
  });

  it("leaves a translation that is not approved, and the feeds, alone", async () => {
    const id = await translation(runtime.db, "c", "es", "in_review");
    const before = await generation("es");
    expect(await publishTranslation(runtime, { translationId: id })).toEqual({
      outcome: "skipped",
      reason: "translation is in_review",
    });
    expect(await generation("es")).toBe(before);
    expect((await getTranslation(runtime.db, id))?.status).toBe("in_review");
  });
});
