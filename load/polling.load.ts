import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChildMeasure, type SystemChild, startSystemChild } from "../bench/fixtures/system-child.ts";
import { freePort } from "../faults/support/free-port.ts";
import { createDatabase, type FreshDatabase } from "../faults/support/postgres.ts";
import { type RedisServer, startRedis } from "../faults/support/redis-server.ts";
import { delay, until } from "../faults/support/until.ts";
import { type FeedFarm, startFeedFarm } from "./support/feed-farm.ts";
import { checkSchedules, spread } from "./support/schedules.ts";

/** The measured window: five minutes as the issue asks; LOAD_MINUTES=1 for a quick look. */
const MINUTES = Number(process.env.LOAD_MINUTES ?? 5);
const SOURCES = Number(process.env.LOAD_SOURCES ?? 1000);
/** Feeds that publish a new item every minute; the rest only ever answer 304 after their first read. */
const ACTIVE = Math.min(10, SOURCES);
/** Steady polling after the first import, before the reference reading of memory. */
const WARMUP_MS = 60_000;
const TICK_MS = 60_000;
/**
 * CPU time of the whole process per poll job (every scheduler tick, due or not), the active
 * feeds' translation and publishing included: generous, as poll-304's goal for one poll is 2 ms.
 */
const CPU_MS_PER_POLL_JOB_LIMIT = 20;
/** How late a tick may be picked up on a loaded machine before a wait counts as missed. */
const SLACK_MS = 30_000;
const OK_OUTCOMES = ["fetched", "not_modified", "skipped"];
const ADMIN_TOKEN = `load-admin-${randomBytes(8).toString("hex")}`;
const MB = 1024 * 1024;

/** Interval of source `index`: the active ones and 60% of the rest every minute, 30% every 2, 10% every 5. */
function intervalMinutes(index: number): number {
  if (index < ACTIVE) return 1;
  const slot = index % 10;
  return slot < 6 ? 1 : slot < 9 ? 2 : 5;
}

interface Snapshot {
  at: number;
  measure: ChildMeasure;
  polls: Record<string, number>;
}

describe(`${SOURCES} sources polled for ${MINUTES} min by one all-in-one process`, () => {
  let dir: string;
  let redis: RedisServer | undefined;
  let database: FreshDatabase | undefined;
  let farm: FeedFarm | undefined;
  let system: SystemChild | undefined;
  let publisher: NodeJS.Timeout | undefined;

  const api = async (path: string, body?: unknown): Promise<Response> => {
    if (!system) throw new Error("the system is not running");
    return fetch(`${system.url}${path}`, {
      method: body === undefined ? "GET" : "POST",
      signal: AbortSignal.timeout(30_000),
      headers: {
        authorization: `Bearer ${ADMIN_TOKEN}`,
        ...(body !== undefined && { "content-type": "application/json" }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
  };

  /** Poll jobs by outcome (fetched, not_modified, skipped, error codes), from the process's /metrics. */
  const pollCounts = async (): Promise<Record<string, number>> => {
    const text = await (await api("/metrics")).text();
    const counts: Record<string, number> = {};
    for (const match of text.matchAll(/^babelwire_feed_polls_total\{outcome="([^"]+)"\} (\d+(?:\.\d+)?)$/gm)) {
      counts[match[1] ?? ""] = Number(match[2]);
    }
    return counts;
  };

  const snapshot = async (): Promise<Snapshot> => {
    if (!system) throw new Error("the system is not running");
    return { at: Date.now(), measure: await system.measure(), polls: await pollCounts() };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "babelwire-load-"));
    redis = await startRedis(dir);
    database = await createDatabase();
    farm = await startFeedFarm(SOURCES, ACTIVE);
    system = await startSystemChild({
      dir,
      engine: "echo",
      env: {
        DATA_DIR: join(dir, "data"),
        DATABASE_URL: database.url,
        REDIS_URL: redis.url,
        QUEUE_PREFIX: "{load}",
        HOST: "127.0.0.1",
        PORT: String(await freePort()),
        TARGET_LANGUAGES: "es",
        ADMIN_TOKEN,
        LOG_LEVEL: "info",
      },
    });
  });

  afterAll(async () => {
    clearInterval(publisher);
    await system?.stop();
    await farm?.close();
    await redis?.stop();
    await database?.drop();
    if (dir && process.env.LOAD_KEEP !== "1") rmSync(dir, { recursive: true, force: true });
  });

  it("polls every source on schedule with bounded CPU per poll and flat memory", async () => {
    if (!farm || !system) throw new Error("setup failed");
    const feeds = farm;
    const child = system;
    // Eight at a time, as an operator's script would add them.
    for (let start = 0; start < SOURCES; start += 8) {
      await Promise.all(
        Array.from({ length: Math.min(8, SOURCES - start) }, async (_, offset) => {
          const index = start + offset;
          const response = await api("/v1/sources?check=false", {
            url: feeds.feedUrl(index),
            name: `Load feed ${index}`,
            language: "en",
            targets: ["es"],
            review: "auto",
            fullText: "never",
            interval: `${intervalMinutes(index)}m`,
          });
          expect(response.status, await response.clone().text()).toBe(201);
        }),
      );
    }
    // The first import: every feed read once, its item translated (zero-cost engine) and published.
    await until(
      "every feed read once and its item published",
      async () => {
        const unread = Array.from({ length: SOURCES }, (_, index) => feeds.requests(index).length).filter(
          (n) => n === 0,
        ).length;
        return unread === 0 && (await child.published()) >= SOURCES ? true : undefined;
      },
      { timeoutMs: 600_000, everyMs: 1000, last: () => child.logTail(5) },
    );
    const publishingFrom = Date.now();
    publisher = setInterval(() => feeds.publishRound(), TICK_MS);
    await delay(WARMUP_MS);

    const start = await snapshot();
    await delay(MINUTES * 60_000);
    const end = await snapshot();

    const window = { from: start.at, to: end.at };
    const sources = Array.from({ length: SOURCES }, (_, index) => ({
      index,
      intervalMs: intervalMinutes(index) * TICK_MS,
      fetchedAt: feeds.requests(index),
    }));
    const schedules = checkSchedules(sources, window, TICK_MS, SLACK_MS);
    const fetches = schedules.counts.reduce((sum, n) => sum + n, 0);
    const outcomes = Object.fromEntries(
      Object.entries(end.polls).map(([outcome, n]) => [outcome, n - (start.polls[outcome] ?? 0)]),
    );
    const pollJobs = Object.values(outcomes).reduce((sum, n) => sum + n, 0);
    const cpuMs = (end.measure.cpuMicros - start.measure.cpuMicros) / 1000;
    const cpuPerPollJob = cpuMs / Math.max(1, pollJobs);
    const heapRatio = end.measure.heapUsed / start.measure.heapUsed;
    const waits = await newItemWaits(database, publishingFrom);
    const perInterval = [1, 2, 5].map((minutes) => {
      const counts = schedules.counts.filter((_, index) => intervalMinutes(index) === minutes);
      return `every ${minutes}m: ${counts.length} sources, polls ${spread(counts)}, seconds apart ${spread(schedules.gaps.get(minutes) ?? [])}`;
    });
    console.log(
      [
        `load: ${SOURCES} sources (${ACTIVE} publishing a new item a minute), window ${((end.at - start.at) / 60_000).toFixed(2)} min`,
        ...perInterval.map((line) => `  ${line}`),
        `feed fetches ${fetches} (${feeds.fullAnswers()} full answers since the start, the rest 304); poll jobs ${pollJobs} by outcome ${JSON.stringify(outcomes)}`,
        `CPU of the all-in-one process: ${Math.round(cpuMs)} ms, ${cpuPerPollJob.toFixed(2)} ms per poll job, ${(cpuMs / Math.max(1, fetches)).toFixed(2)} ms per feed fetch, ${((cpuMs / (end.at - start.at)) * 100).toFixed(1)}% of a core`,
        `heap after GC: ${mb(start.measure.heapUsed)} MB after warm-up, ${mb(end.measure.heapUsed)} MB at the end (×${heapRatio.toFixed(3)}); RSS ${mb(start.measure.rss)} → ${mb(end.measure.rss)} MB`,
        ...[...schedules.shortfalls, ...schedules.starved].slice(0, 5).map((line) => `  missed: ${line}`),
        `new items (${waits.items}) from appearing in their feed (pubDate, to the second) to stored: ${waits.stored}; to published in Spanish: ${waits.published}`,
        `missed schedules: ${schedules.shortfalls.length} sources polled too few times, ${schedules.starved.length} left too long`,
      ].join("\n"),
    );

    // Soft: a run shows every way it fell short, not only the first.
    expect.soft(schedules.starved).toEqual([]);
    expect.soft(schedules.shortfalls).toEqual([]);
    // Every poll read its feed or found it not due: no error code among the outcomes.
    expect
      .soft(Object.keys(outcomes).filter((outcome) => !OK_OUTCOMES.includes(outcome) && outcomes[outcome]))
      .toEqual([]);
    expect.soft(cpuPerPollJob).toBeLessThan(CPU_MS_PER_POLL_JOB_LIMIT);
    expect.soft(heapRatio).toBeLessThanOrEqual(1.1);
  });
});

/**
 * What a scheduled poll costs a new item in time, for the record (timing is judged in the
 * benchmarks, not here): seconds from its pubDate to being stored and to its publication.
 */
async function newItemWaits(database: FreshDatabase | undefined, since: number) {
  const rows =
    (await database?.rows<{ stored: number; published: number | null }>(
      `select extract(epoch from a.first_seen_at - a.published_at)::float as stored,
              extract(epoch from t.published_at - a.published_at)::float as published
         from articles a left join translations t on t.article_id = a.id
        where a.published_at >= to_timestamp(${Math.floor(since / 1000)})`,
    )) ?? [];
  const seconds = (values: number[]) => spread(values.map(Math.round));
  return {
    items: rows.length,
    stored: seconds(rows.map((row) => row.stored)),
    published: seconds(rows.flatMap((row) => (row.published === null ? [] : [row.published]))),
  };
}

function mb(bytes: number): string {
  return (bytes / MB).toFixed(1);
}
