import { startSystem } from "@babelwire/cli/start-system";
import { createToken } from "@babelwire/db";
import { clearQueuePrefix, testConfig } from "@babelwire/runtime/testing";
import { Redis } from "ioredis";
import { buildFeed, serveFeed } from "../fixtures/build-feed.ts";
import { countStatements } from "../fixtures/count-statements.ts";
import { echoEngine } from "../fixtures/echo-engine.ts";
import { until } from "../fixtures/until.ts";
import type { Benchmark } from "../harness.ts";

/** 2,000 articles (docs/benchmarks.md); BENCH_PIPELINE_ARTICLES makes a quicker run for a look. */
const ARTICLES = Number(process.env.BENCH_PIPELINE_ARTICLES ?? 2000);

/** "translate 20.1, publish 6.0, …": statements per article by the queue whose job sent them. */
function perStage(counts: Record<string, number>): string {
  return Object.entries(counts)
    .sort(([, a], [, b]) => b - a)
    .map(([stage, n]) => `${stage} ${(n / ARTICLES).toFixed(1)}`)
    .join(", ");
}

/**
 * Database statements per article through poll → store → translate → publish (summaries too)
 * for a 2,000-item feed, one target language, the zero-cost engine, where the database is the
 * work left; the notes give the articles per second and per minute of CPU beside it.
 */
export const pipeline: Benchmark = {
  name: "pipeline",
  unit: "statements/article",
  goal: { of: "value", op: "<=", target: 15 },
  rounds: 3,
  warmup: false,
  async setup() {
    const { server: feedServer, base: feedBase } = await serveFeed(buildFeed(ARTICLES));
    const config = testConfig({
      TARGET_LANGUAGES: "es",
      LOG_LEVEL: "silent",
      ...(process.env.BENCH_DATABASE_URL ? { DATABASE_URL: process.env.BENCH_DATABASE_URL } : {}),
    });
    const statements = await countStatements();
    const system = await startSystem(config, { engines: [echoEngine] });
    // A PostgreSQL database used before has its admin token already: this run makes its own.
    const token =
      system.adminToken ?? (await createToken(system.runtime.db, { role: "admin", label: "pipeline bench" })).token;
    const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
    let round = 0;
    /** Articles per second, and per minute of this process's CPU time (the all-in-one system, PGlite included; Redis apart). */
    const perSecond: number[] = [];
    const perCore: number[] = [];
    const byStage: string[] = [];
    const notes = [
      `${ARTICLES} items (the sample's paragraphs, full HTML) from a local HTTP feed, one new source a round, targets [es], review auto, full text never`,
      `from POST /v1/sources until every article's Spanish translation is published (poll, parse, normalize, store, translate with a zero-cost engine, QA, publish; summarize jobs run too), all-in-one process, ${process.env.BENCH_DATABASE_URL ? "PostgreSQL (BENCH_DATABASE_URL)" : "PGlite in memory"}`,
      "statements: every query the drivers send (BEGIN and COMMIT included), the benchmark's own progress probes left out, divided by the articles; the round's own source only (re-polls of it during the round included: the feed answers 200 with the same items), each source paused after its round",
    ];
    return {
      notes,
      async ours() {
        round++;
        statements.reset();
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
            const row = await statements.uncounted(() =>
              system.runtime.db
                .selectFrom("translations as t")
                .innerJoin("articles as a", "a.id", "t.article_id")
                .select((eb) => eb.fn.countAll<number>().as("n"))
                .where("a.source_id", "=", id)
                .where("t.status", "=", "published")
                .executeTakeFirstOrThrow(),
            );
            if (process.env.BENCH_VERBOSE) process.stderr.write(`pipeline: ${row.n}/${ARTICLES} published\n`);
            return Number(row.n) >= ARTICLES;
          },
          "every article published",
          { timeoutMs: 600_000, everyMs: 100 },
        );
        const seconds = (performance.now() - started) / 1000;
        const cpu = process.cpuUsage(cpuBefore);
        const cpuSeconds = (cpu.user + cpu.system) / 1e6;
        perSecond.push(Number((ARTICLES / seconds).toFixed(1)));
        perCore.push(Math.round(ARTICLES / (cpuSeconds / 60)));
        byStage.push(perStage(statements.byStage()));
        const perArticle = statements.total() / ARTICLES;
        // The next rounds count their own source's work only: this one's scheduled re-polls
        // (the local feed answers 200 with the same items each time) would land in them.
        const paused = await fetch(`${system.url}/v1/sources/${id}`, {
          method: "PATCH",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify({ paused: true }),
        });
        if (!paused.ok) throw new Error(`pipeline: pausing the source answered ${paused.status}`);
        return perArticle;
      },
      async close() {
        notes.push(`articles/s by round: ${perSecond.join(", ")}`);
        notes.push(`articles per minute per CPU core (this process's CPU time, by round): ${perCore.join(", ")}`);
        notes.push(
          `statements per article by the queue that sent them ("other": the API and the scheduler), by round: ${byStage.join("; ")}`,
        );
        await system.stop();
        await clearQueuePrefix(redis, config.QUEUE_PREFIX);
        redis.disconnect();
        feedServer.close();
      },
    };
  },
};
