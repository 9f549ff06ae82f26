import { startSystem } from "@babelwire/cli/start-system";
import { clearQueuePrefix, testConfig } from "@babelwire/runtime/testing";
import { Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import { buildFeed, serveFeed } from "../fixtures/build-feed.ts";
import { echoEngine } from "../fixtures/echo-engine.ts";
import { until } from "../fixtures/until.ts";
import type { Benchmark } from "../harness.ts";

/** 2,000 articles (docs/benchmarks.md); BENCH_PIPELINE_ARTICLES makes a quicker run for a look. */
const ARTICLES = Number(process.env.BENCH_PIPELINE_ARTICLES ?? 2000);
/** The translate queue's worker concurrency, which the bare baseline uses too. */
const CONCURRENCY = 4;

/**
 * Articles per second through poll → store → translate → publish (summaries too) for a
 * 2,000-item feed, one target language, the zero-cost engine; next to bare BullMQ running the
 * same number of no-op jobs through one queue at the translate worker's concurrency.
 */
export const pipeline: Benchmark = {
  name: "pipeline",
  unit: "articles/s",
  goal: { of: "ratio", op: ">=", target: 0.5 },
  rounds: 3,
  warmup: false,
  async setup() {
    const { server: feedServer, base: feedBase } = await serveFeed(buildFeed(ARTICLES));
    const config = testConfig({
      TARGET_LANGUAGES: "es",
      LOG_LEVEL: "silent",
      ...(process.env.BENCH_DATABASE_URL ? { DATABASE_URL: process.env.BENCH_DATABASE_URL } : {}),
    });
    const system = await startSystem(config, { engines: [echoEngine] });
    const token = system.adminToken ?? "";
    const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
    const bareName = `bench-bare-${process.pid}`;
    let round = 0;
    /** Articles per minute of this process's CPU time (the all-in-one system, PGlite included; Redis apart). */
    const perCore: number[] = [];
    const notes = [
      `${ARTICLES} items (the sample's paragraphs, full HTML) from a local HTTP feed, one new source a round, targets [es], review auto, full text never`,
      `ours: from POST /v1/sources until every article's Spanish translation is published (poll, parse, normalize, store, translate with a zero-cost engine, QA, publish; summarize jobs run too), all-in-one process, ${process.env.BENCH_DATABASE_URL ? "PostgreSQL (BENCH_DATABASE_URL)" : "PGlite in memory"}`,
      `baseline: bare BullMQ, ${ARTICLES} no-op jobs added in bulk to one queue and completed by one worker at concurrency ${CONCURRENCY}, same Redis`,
    ];
    return {
      notes,
      async ours() {
        round++;
        const started = performance.now();
        const cpuBefore = process.cpuUsage();
        const response = await fetch(`${system.url}/v1/sources?check=false`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify({
            url: `${feedBase}/feed-${round}`,
            targets: ["es"],
            review: "auto",
            fullText: "never",
          }),
        });
        if (response.status !== 201) throw new Error(`pipeline: adding the source answered ${response.status}`);
        const { id } = (await response.json()) as { id: string };
        await until(
          async () => {
            const row = await system.runtime.db
              .selectFrom("translations as t")
              .innerJoin("articles as a", "a.id", "t.article_id")
              .select((eb) => eb.fn.countAll<number>().as("n"))
              .where("a.source_id", "=", id)
              .where("t.status", "=", "published")
              .executeTakeFirstOrThrow();
            if (process.env.BENCH_VERBOSE) process.stderr.write(`pipeline: ${row.n}/${ARTICLES} published\n`);
            return Number(row.n) >= ARTICLES;
          },
          "every article published",
          { timeoutMs: 600_000, everyMs: 100 },
        );
        const seconds = (performance.now() - started) / 1000;
        const cpu = process.cpuUsage(cpuBefore);
        const cpuSeconds = (cpu.user + cpu.system) / 1e6;
        perCore.push(Math.round(ARTICLES / (cpuSeconds / 60)));
        return ARTICLES / seconds;
      },
      async baseline() {
        const queue = new Queue(bareName, { connection: redis, prefix: config.QUEUE_PREFIX });
        let done = 0;
        let resolveAll: () => void = () => {};
        const finished = new Promise<void>((resolve) => {
          resolveAll = resolve;
        });
        const worker = new Worker(
          bareName,
          async () => {
            done++;
            if (done === ARTICLES) resolveAll();
          },
          { connection: redis.duplicate(), prefix: config.QUEUE_PREFIX, concurrency: CONCURRENCY },
        );
        const started = performance.now();
        await queue.addBulk(Array.from({ length: ARTICLES }, (_, index) => ({ name: "noop", data: { index } })));
        await finished;
        await worker.close();
        const perSecond = ARTICLES / ((performance.now() - started) / 1000);
        await queue.obliterate({ force: true });
        await queue.close();
        return perSecond;
      },
      async close() {
        notes.push(`articles per minute per CPU core (this process's CPU time, by round): ${perCore.join(", ")}`);
        await system.stop();
        await clearQueuePrefix(redis, config.QUEUE_PREFIX);
        redis.disconnect();
        feedServer.close();
      },
    };
  },
};
