import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseConfig } from "@babelwire/config";
import { type NormalizedArticle, sha256Hex } from "@babelwire/core";
import { createSource, upsertArticle } from "@babelwire/db";
import { createQueues } from "@babelwire/queue";
import { openRuntime } from "@babelwire/runtime";
import { clearQueuePrefix } from "@babelwire/runtime/testing";
import { buildIfNeeded, type ServiceProcess, serviceProcess } from "../../cluster/support/services.ts";
import { createDatabase } from "../../faults/support/postgres.ts";
import { apertiumOnce, inParallel } from "../fixtures/apertium-once.ts";
import { engineHtml, newsItem } from "../fixtures/news-items.ts";
import { until } from "../fixtures/until.ts";
import type { Benchmark } from "../harness.ts";

const ARTICLES = Number(process.env.BENCH_SCALING_ARTICLES ?? 24);
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/** A news item as ingestion stores it: numbers in every sentence, so translation memory never answers. */
function articleOf(n: number): NormalizedArticle {
  const item = newsItem(n, "https://wire.example", new Date(Date.UTC(2026, 0, 1)), "scaling");
  const publishedAt = item.publishedAt.toISOString();
  return {
    guid: item.guid,
    url: item.link,
    title: item.title,
    summary: item.lead,
    contentHtml: item.html,
    contentText: item.html.replaceAll(/<[^>]+>/g, " ").trim(),
    language: "en",
    publishedAt,
    updatedAt: publishedAt,
    authors: [],
    categories: [],
    media: [],
    contentHash: sha256Hex(`${item.title}\n${item.html}`),
  };
}

/**
 * Engine-bound throughput of separate translator processes: articles/s of translate jobs with the
 * real `apertium` command through two `node services/translator/src/main.ts` processes of
 * TRANSLATE_CONCURRENCY=1, against one such process, on the same PostgreSQL and Redis. What it
 * says is how far adding a translator process adds throughput on this machine; with 2 cores
 * shared by other work, the ideal is 2.0.
 */
export const translatorScaling: Benchmark = {
  name: "translator-scaling",
  unit: "articles/s",
  goal: { of: "ratio", op: ">=", target: 1.5 },
  rounds: 3,
  warmup: false,
  async setup() {
    await buildIfNeeded();
    const database = await createDatabase();
    const dir = await mkdtemp(path.join(tmpdir(), "babelwire-scaling-"));
    const tag = randomBytes(4).toString("hex");
    const runtime = await openRuntime(
      parseConfig({ DATABASE_URL: database.url, REDIS_URL, QUEUE_PREFIX: `{bench-scaling-${tag}}`, LOG_LEVEL: "warn" }),
      "bench",
    );
    const source = await createSource(runtime.db, { url: "bench://scaling", language: "en", targets: ["es"] });
    let next = 0;
    let round = 0;

    /** Starts `processes` translators on a prefix of their own, then times ARTICLES translate jobs through them. */
    const measure = async (processes: number): Promise<number> => {
      const prefix = `{bench-scaling-${tag}-${++round}}`;
      const env = {
        DATABASE_URL: database.url,
        REDIS_URL,
        QUEUE_PREFIX: prefix,
        TRANSLATE_CONCURRENCY: "1",
        TRANSLATION_ENGINES: "apertium",
        LOG_LEVEL: "warn",
      };
      const translators: ServiceProcess[] = [];
      const queues = createQueues(runtime.redis, prefix);
      try {
        for (let index = 0; index < processes; index++) {
          translators.push(await serviceProcess("translator", `round-${round}-translator-${index + 1}`, { dir, env }));
        }
        await Promise.all(translators.map((translator) => translator.start()));
        // Storing the articles is ingestion's work: before the clock.
        const articles = [];
        for (let index = 0; index < ARTICLES; index++) {
          articles.push(await upsertArticle(runtime.db, source.id, articleOf(++next)));
        }
        const ids = articles.map((article) => article.id);
        const started = performance.now();
        await Promise.all(
          articles.map((article) =>
            queues.enqueueTranslate({ articleId: article.id, articleVersion: article.version, lang: "es" }),
          ),
        );
        await until(
          async () => {
            const row = await runtime.db
              .selectFrom("translations")
              .select((eb) => eb.fn.countAll<number>().as("n"))
              .where("article_id", "in", ids)
              .where("status", "not in", ["queued", "translating"])
              .executeTakeFirstOrThrow();
            return Number(row.n) === ARTICLES;
          },
          `${ARTICLES} translations through ${processes} translator(s)`,
          { timeoutMs: 600_000, everyMs: 50 },
        );
        return ARTICLES / ((performance.now() - started) / 1000);
      } finally {
        await Promise.all(translators.map((translator) => translator.kill("SIGTERM")));
        await queues.close();
        await clearQueuePrefix(runtime.redis, prefix);
      }
    };

    /**
     * The engine's own scaling on this machine: raw `apertium` over the same articles' HTML, one
     * at a time and then two. Apertium is a pipeline of processes, one per stage, so one call
     * already keeps more than one core busy, and a second process gains only what is left.
     */
    const engineScaling: number[] = [];
    const rawEngine = async () => {
      const files: string[] = [];
      for (let index = 0; index < ARTICLES; index++) {
        const file = path.join(dir, `raw-${round}-${index}.html`);
        await writeFile(file, engineHtml(newsItem(++next, "https://wire.example", new Date(), "scaling")));
        files.push(file);
      }
      const seconds = async (limit: number) => {
        const started = performance.now();
        await inParallel(files, limit, apertiumOnce);
        return (performance.now() - started) / 1000;
      };
      const one = await seconds(1);
      const two = await seconds(2);
      engineScaling.push(Math.round((one / two) * 100) / 100);
    };

    const notes = [
      `${ARTICLES} articles a round (each ${engineHtml(newsItem(1, "https://wire.example", new Date(), "scaling")).length} characters of HTML to the engine, numbers in every sentence so translation memory never answers), en→es, the apertium command, PostgreSQL (a fresh database), the Redis at REDIS_URL`,
      "ours: two translator processes (node services/cli/dist/translator.js, TRANSLATE_CONCURRENCY=1); baseline: one such process; each round starts its processes before the clock on a queue prefix of its own, then times enqueue → every translation stored",
      "the machine's 2 cores are shared with other sessions' work: the ratio says what a second process adds here, not on an idle machine",
    ];
    return {
      notes,
      ours: () => measure(2),
      async baseline() {
        const perSecond = await measure(1);
        await rawEngine();
        return perSecond;
      },
      async close() {
        notes.push(
          `the engine's own ceiling: raw \`apertium -u -f html eng-spa\` over ${ARTICLES} such articles two at a time against one at a time, by round: ${engineScaling.join(", ")}`,
        );
        await runtime.close();
        await database.drop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
};
