import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { startSystem } from "@babelwire/cli/start-system";
import { JOB_CATALOG } from "@babelwire/queue";
import { clearQueuePrefix, testConfig } from "@babelwire/runtime/testing";
import { Redis } from "ioredis";
import { apertiumOnce, inParallel } from "../fixtures/apertium-once.ts";
import { numberedEngineHtml, numberedFeed, numberedSample } from "../fixtures/numbered-sample.ts";
import { readSampleArticle, type SampleArticle } from "../fixtures/sample-article.ts";
import { until } from "../fixtures/until.ts";
import type { Benchmark } from "../harness.ts";

/** 200 articles (docs/benchmarks.md); BENCH_PIPELINE_ENGINE_ARTICLES makes a quicker run for a look. */
const ARTICLES = Number(process.env.BENCH_PIPELINE_ENGINE_ARTICLES ?? 200);
/** Translate jobs one process runs at once: the baseline runs that many `apertium` processes at a time. */
const CONCURRENCY = JOB_CATALOG.translate.concurrency;

/**
 * Articles per second through poll → store → translate with the real `apertium` command →
 * QA → auto-approve → publish, for a feed of copies of the sample article; next to raw
 * `apertium` over the same articles' HTML at the translate worker's concurrency. What the
 * ratio says is how much of Apertium's own throughput the whole pipeline keeps.
 */
export const pipelineEngine: Benchmark = {
  name: "pipeline-engine",
  unit: "articles/s",
  goal: { of: "ratio", op: ">=", target: 0.8 },
  rounds: 3,
  warmup: false,
  async setup() {
    const sample = readSampleArticle();
    /** Each round its own numbers: a round never finds the previous one's sentences in memory. */
    const articlesOf = (round: number): SampleArticle[] =>
      Array.from({ length: ARTICLES }, (_, index) => numberedSample(round * 10_000 + index + 1, sample));
    let feed: Buffer = Buffer.alloc(0);
    const feedServer = createServer((_request, response) => {
      response.writeHead(200, { "content-type": "application/rss+xml" }).end(feed);
    });
    await new Promise<void>((done) => feedServer.listen(0, "127.0.0.1", done));
    const feedBase = `http://127.0.0.1:${(feedServer.address() as AddressInfo).port}`;
    const config = testConfig({ TARGET_LANGUAGES: "es", LOG_LEVEL: "silent", TRANSLATION_ENGINES: "apertium" });
    const system = await startSystem(config);
    const token = system.adminToken ?? "";
    const dir = await mkdtemp(path.join(tmpdir(), "babelwire-pipeline-engine-"));
    let oursRound = 0;
    let baselineRound = 0;
    /** What Apertium was sent so far (requests, characters), from the engine usage the translator records. */
    const engineUse = async () => {
      const row = await system.runtime.db
        .selectFrom("engine_usage")
        .select((eb) => [
          eb.fn.sum<number>("requests").as("requests"),
          eb.fn.sum<number>("characters").as("characters"),
        ])
        .where("engine", "=", "apertium")
        .executeTakeFirst();
      return { requests: Number(row?.requests ?? 0), characters: Number(row?.characters ?? 0) };
    };
    const sentPerArticle: string[] = [];
    /**
     * Where a round's time went, in s from the POST: the first article stored (the poll), the
     * first and last translation started, the last published. The rows' own timestamps; PGlite
     * runs in this process, so they share its clock.
     */
    const milestonesOf = async (sourceId: string, postAt: number) => {
      const db = system.runtime.db;
      const stored = await db
        .selectFrom("articles")
        .select((eb) => eb.fn.min("first_seen_at").as("first"))
        .where("source_id", "=", sourceId)
        .executeTakeFirstOrThrow();
      const events = await db
        .selectFrom("translation_events as e")
        .innerJoin("translations as t", "t.id", "e.translation_id")
        .innerJoin("articles as a", "a.id", "t.article_id")
        .select((eb) => ["e.to_status", eb.fn.min("e.at").as("first"), eb.fn.max("e.at").as("last")])
        .where("a.source_id", "=", sourceId)
        .where("e.to_status", "in", ["translating", "published"])
        .groupBy("e.to_status")
        .execute();
      const since = (at: unknown) => ((new Date(at as string).getTime() - postAt) / 1000).toFixed(1);
      const translating = events.find((event) => event.to_status === "translating");
      const published = events.find((event) => event.to_status === "published");
      return `first stored ${since(stored.first)}, translating ${since(translating?.first)}–${since(translating?.last)}, last published ${since(published?.last)}`;
    };
    const milestones: string[] = [];
    const engineChars = numberedEngineHtml(numberedSample(1, sample)).length;
    const notes = [
      `${ARTICLES} articles a round, each the sample article (${engineChars} characters of HTML to the engine: title, lead, ${sample.paragraphs.length} paragraphs) with its number in every sentence, so translation memory never answers; a new source and new numbers each round; targets [es], review auto, full text never`,
      `ours: from POST /v1/sources until every article's Spanish translation is published: poll, parse, normalize, store, summarize, translate (memory lookups, name finding, one \`apertium -f html eng-spa\` per article with unknown words marked, style repair, QA), auto-approve, publish; all-in-one process (startSystem), translate concurrency ${CONCURRENCY} (the catalog's), PGlite in memory, this process's Redis`,
      `baseline: one \`apertium -u -f html eng-spa <file>\` per article over the same title, lead and body as HTML paragraphs, ${CONCURRENCY} at a time`,
    ];
    return {
      notes,
      async ours() {
        oursRound++;
        feed = numberedFeed(articlesOf(oursRound), `round-${oursRound}`);
        const before = await engineUse();
        const postAt = Date.now();
        const started = performance.now();
        const response = await fetch(`${system.url}/v1/sources?check=false`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify({
            url: `${feedBase}/feed-${oursRound}`,
            targets: ["es"],
            review: "auto",
            fullText: "never",
          }),
        });
        if (response.status !== 201) throw new Error(`pipeline-engine: adding the source answered ${response.status}`);
        const { id } = (await response.json()) as { id: string };
        await until(
          async () => {
            const rows = await system.runtime.db
              .selectFrom("translations as t")
              .innerJoin("articles as a", "a.id", "t.article_id")
              .select(["t.status", (eb) => eb.fn.countAll<number>().as("n")])
              .where("a.source_id", "=", id)
              .groupBy("t.status")
              .execute();
            const count = (status: string) => Number(rows.find((row) => row.status === status)?.n ?? 0);
            const stuck = count("in_review") + count("failed");
            if (stuck > 0) throw new Error(`pipeline-engine: ${stuck} translations held in review or failed`);
            if (process.env.BENCH_VERBOSE) {
              process.stderr.write(`pipeline-engine: ${count("published")}/${ARTICLES} published\n`);
            }
            return count("published") >= ARTICLES;
          },
          "every article published",
          { timeoutMs: 1_800_000, everyMs: 100 },
        );
        const perSecond = ARTICLES / ((performance.now() - started) / 1000);
        const after = await engineUse();
        milestones.push(await milestonesOf(id, postAt));
        sentPerArticle.push(
          `${((after.requests - before.requests) / ARTICLES).toFixed(2)} requests, ${Math.round((after.characters - before.characters) / ARTICLES)} characters`,
        );
        return perSecond;
      },
      async baseline() {
        baselineRound++;
        const files = await Promise.all(
          articlesOf(baselineRound).map(async (article, index) => {
            const file = path.join(dir, `round-${baselineRound}-${index + 1}.html`);
            await writeFile(file, numberedEngineHtml(article), "utf8");
            return file;
          }),
        );
        const started = performance.now();
        await inParallel(files, CONCURRENCY, apertiumOnce);
        return ARTICLES / ((performance.now() - started) / 1000);
      },
      async close() {
        await system.stop();
        const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
        await clearQueuePrefix(redis, config.QUEUE_PREFIX);
        redis.disconnect();
        feedServer.close();
        await rm(dir, { recursive: true, force: true });
        notes.push(`ours, s from the POST, by round: ${milestones.join("; ")}`);
        notes.push(
          `sent to Apertium per article by our side (the engine usage it records: segments' characters, without the wrapping markup), by round: ${sentPerArticle.join("; ")}`,
        );
      },
    };
  },
};
