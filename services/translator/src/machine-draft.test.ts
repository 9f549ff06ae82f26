import { createSource, getTranslation, putGlossaryEntries, upsertArticle } from "@babelwire/db";
import { testArticle } from "@babelwire/db/testing";
import { openRuntime, type Runtime } from "@babelwire/runtime";
import { clearQueuePrefix, testConfig } from "@babelwire/runtime/testing";
import { createApertiumEngine } from "@babelwire/translate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { translateArticle } from "./translate-article.ts";

let runtime: Runtime;
let sourceId: string;
const job = { id: "t", attempt: 1, maxAttempts: 3 };

beforeAll(async () => {
  runtime = await openRuntime(testConfig(), "machine-draft-test");
  sourceId = (await createSource(runtime.db, { url: "https://example.org/draft", targets: ["es"], review: "required" }))
    .id;
});

afterAll(async () => {
  await clearQueuePrefix(runtime.redis, runtime.config.QUEUE_PREFIX);
  await runtime?.close();
});

async function translated(guid: string, body: string) {
  const { id } = await upsertArticle(
    runtime.db,
    sourceId,
    testArticle(guid, {
      title: "Ministers meet in Kyiv",
      summary: "Rustem Umerov met his counterparts.",
      contentHtml: body,
      contentText: body,
    }),
  );
  const deps = { db: runtime.db, queues: runtime.queues, engines: [createApertiumEngine()] };
  const outcome = await translateArticle(deps, { articleId: id, articleVersion: 1, lang: "es" }, job);
  if (outcome.outcome !== "translated") throw new Error(`expected a translation, got ${JSON.stringify(outcome)}`);
  const row = await getTranslation(runtime.db, outcome.translationId);
  if (!row) throw new Error("translation row missing");
  return row;
}

describe("what the engine produced is kept for the editor", () => {
  it("stores the machine draft with the glossary terms the engine was made to keep, and where", async () => {
    await putGlossaryEntries(runtime.db, { from: "en", to: "es" }, [
      { term: "Rustem Umerov", translation: "Rústem Úmerov", caseSensitive: true },
    ]);
    const row = await translated("draft-1", "<p>Rustem Umerov spoke in the capital.</p>\n<p>The talks went on.</p>");
    expect(row.machine_draft).toMatchObject({
      engine: "apertium",
      title: row.title,
      summary: row.summary,
      segments: row.segments.map(({ id, target }) => ({ id, target })),
    });
    expect(row.machine_draft?.glossary).toEqual([
      { term: "Rustem Umerov", translation: "Rústem Úmerov", segments: ["summary", "s1"] },
    ]);
  });

  it("names the engine behind remembered text when every segment came from memory", async () => {
    const body = "<p>The ministers agreed on a new plan for the winter.</p>";
    const first = await translated("memory-1", body);
    expect(first.engine).toBe("apertium");
    const second = await translated("memory-2", body);
    expect(second.segments.every((segment) => segment.memory)).toBe(true);
    expect(second.engine).toBe("apertium");
  });
});
