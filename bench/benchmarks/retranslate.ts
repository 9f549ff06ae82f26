import { createSource, upsertArticle } from "@babelwire/db";
import { openRuntime } from "@babelwire/runtime";
import { clearQueuePrefix, testConfig } from "@babelwire/runtime/testing";
import { createApertiumEngine, type TranslationEngine } from "@babelwire/translate";
import { translateArticle } from "@babelwire/translator";
import { bodyHtml, escapeHtml, readSampleArticle, sampleAsArticle } from "../fixtures/sample-article.ts";
import type { Benchmark } from "../harness.ts";

const JOB = { id: "bench", attempt: 1, maxAttempts: 3 };
const PARAGRAPHS = 10;

/** The real engine, with the characters of every segment it is sent counted. */
function countingEngine(engine: TranslationEngine, sent: { characters: number }): TranslationEngine {
  return {
    name: engine.name,
    languages: () => engine.languages(),
    translate: (request) => {
      sent.characters += request.segments.reduce((sum, segment) => sum + segment.length, 0);
      return engine.translate(request);
    },
  };
}

/**
 * Characters sent to the engine when a 10-paragraph article comes back with one paragraph
 * edited, next to the characters of that paragraph: what translation memory saves.
 */
export const retranslate: Benchmark = {
  name: "retranslate",
  unit: "characters",
  goal: { of: "ratio", op: "<=", target: 1.2 },
  rounds: 3,
  warmup: false,
  async setup() {
    const sample = readSampleArticle();
    const paragraphs = Array.from(
      { length: PARAGRAPHS },
      (_, index) => sample.paragraphs[index % sample.paragraphs.length] ?? "",
    );
    const runtime = await openRuntime(testConfig(), "bench");
    const source = await createSource(runtime.db, { url: "bench://retranslate", language: "en", targets: ["es"] });
    const sent = { characters: 0 };
    const deps = { db: runtime.db, queues: runtime.queues, engines: [countingEngine(createApertiumEngine(), sent)] };
    let round = 0;
    // Each round its own words, so one round's memory does not answer the next; fixed width so
    // the edited paragraph (the baseline) has the same length every round.
    const ownWords = (n: number) =>
      paragraphs.map((text, index) => `${text} (r${String(n).padStart(4, "0")}.${index})`);
    const edit = (texts: string[]) =>
      texts.map((text, index) => (index === 4 ? `${text} The figure was later corrected to 1,250.` : text));
    const changed = `<p>${escapeHtml(edit(ownWords(0))[4] ?? "")}</p>`.length;
    const notes = [
      `a ${PARAGRAPHS}-paragraph article (the sample's paragraphs, HTML) translated en→es with Apertium, then one paragraph edited and the new version translated; each round a new article`,
      "ours: characters of the segments sent to the engine for the new version; baseline: characters of the edited paragraph as HTML",
    ];
    return {
      notes,
      async ours() {
        round++;
        const guid = `retranslate-${round}`;
        const own = ownWords(round);
        const first = await upsertArticle(runtime.db, source.id, {
          ...sampleAsArticle(sample, round),
          guid,
          contentHtml: bodyHtml(own),
        });
        await translateArticle(deps, { articleId: first.id, articleVersion: first.version, lang: "es" }, JOB);
        const edited = edit(own);
        const second = await upsertArticle(runtime.db, source.id, {
          ...sampleAsArticle(sample, round),
          guid,
          contentHtml: bodyHtml(edited),
          contentHash: `edited-${round}`,
        });
        if (second.version !== 2) throw new Error(`retranslate: expected a second version, got ${second.version}`);
        sent.characters = 0;
        const outcome = await translateArticle(deps, { articleId: second.id, articleVersion: 2, lang: "es" }, JOB);
        if (outcome.outcome !== "translated") throw new Error(`retranslate: ${JSON.stringify(outcome)}`);
        return sent.characters;
      },
      baseline: async () => changed,
      async close() {
        await clearQueuePrefix(runtime.redis, runtime.config.QUEUE_PREFIX);
        await runtime.close();
      },
    };
  },
};
