import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { startSystem } from "@babelwire/cli/start-system";
import { testConfig } from "@babelwire/runtime/testing";
import { adminApi } from "../fixtures/admin-api.ts";
import { apertiumSeconds, spentPerStage, stopSystem } from "../fixtures/latency-system.ts";
import { engineHtml, type NewsItem, newsItem, rssOf } from "../fixtures/news-items.ts";
import { until } from "../fixtures/until.ts";
import { type Benchmark, type Goal, median } from "../harness.ts";

/** 20 items a round (docs/benchmarks.md); BENCH_LATENCY_ITEMS makes a quicker run for a look. */
const ITEMS = Number(process.env.BENCH_LATENCY_ITEMS ?? 20);
/** How often the partner's reader asks for the feed while it waits: the figure's resolution. */
const READ_EVERY_MS = 20;
/** What docs/benchmarks.md allows on top of Apertium's own time. */
const MARGIN_SECONDS = 1;
/** How the benchmark waits: the partner's reader asks every READ_EVERY_MS, for a minute at most. */
const POLLING = { timeoutMs: 60_000, everyMs: READ_EVERY_MS };
/** Items the feed lists at a time, as an agency's "latest news" does. */
const FEED_WINDOW = 20;

/** The nearest-rank percentile: p95 of 20 values is the 19th smallest. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

const seconds = (ms: number) => Math.round(ms) / 1000;

/** The order in which an item's time is spent, each stage ending at the instant named. */
const STAGES = ["stored", "translating", "in_review", "approved", "published", "in partner feed"] as const;
type Stage = (typeof STAGES)[number];

/** docs/benchmarks.md: p95 ≤ baseline + 1 s, the baseline being Apertium's own time measured in the same run. */
const goal: Goal = { of: "excess", op: "<=", target: MARGIN_SECONDS };

/**
 * Seconds from an item appearing in a local feed to its Spanish version in the partner feed
 * (`GET /v1/feeds/es.rss` with a partner token): the operator asks for a poll through the API,
 * the poll stores the item, the translator sends it to Apertium, QA passes it, `review: auto`
 * approves it, the publisher publishes it and invalidates the cached feed. Items go one at a
 * time, so each measures the way through, not a queue behind others. Value: p95 over the round's
 * items; baseline: p95 of one `apertium -u -f html eng-spa` call on each of the same items.
 */
export const latency: Benchmark = {
  name: "latency",
  unit: "s (p95)",
  goal,
  rounds: 3,
  warmup: false,
  async setup() {
    const items: NewsItem[] = [];
    let feedBase = "";
    const feedServer = createServer((request, response) => {
      const etag = `"latency-${items.length}"`;
      if (request.headers["if-none-match"] === etag) {
        response.writeHead(304, { etag }).end();
        return;
      }
      const body = rssOf("Latency wire", feedBase, items.slice(-FEED_WINDOW));
      response.writeHead(200, { "content-type": "application/rss+xml; charset=utf-8", etag }).end(body);
    });
    await new Promise<void>((done) => feedServer.listen(0, "127.0.0.1", done));
    feedBase = `http://127.0.0.1:${(feedServer.address() as AddressInfo).port}`;
    // The partner's reader asks 50 times a second while it waits: more than the default limit allows.
    const config = testConfig({ TARGET_LANGUAGES: "es", LOG_LEVEL: "silent", PARTNER_RATE_LIMIT: "1000000/min" });
    const system = await startSystem(config);
    const admin = system.adminToken ?? "";
    const api = adminApi(system.url, system.adminToken ?? "", "latency");
    const partner = await api("/v1/partners", { name: "Latency desk", languages: ["es"] });
    const { token: partnerToken } = (await api("/v1/tokens", { role: "partner", partnerId: partner.id })) as {
      token: string;
    };
    const { id: sourceId } = (await api("/v1/sources?check=false", {
      url: `${feedBase}/feed.xml`,
      name: "Latency wire",
      language: "en",
      targets: ["es"],
      review: "auto",
      fullText: "never",
      // Only the polls asked for count: the scheduler's ticks find the source not due.
      interval: "1h",
    })) as { id: string };
    // The scheduler's first tick polls at once; measuring starts once it has read the empty feed.
    await until(
      async () => {
        const source = (await api(`/v1/sources/${sourceId}`)) as { health: { lastSuccessAt: string | null } };
        return source.health.lastSuccessAt !== null;
      },
      "the first poll",
      POLLING,
    );

    let etag = "";
    let feedBody = "";
    /** The partner's reader: conditional GETs of es.rss until the item's original link is in it. */
    const readUntilPublished = async (item: NewsItem) => {
      const needle = `<link>${item.link}</link>`;
      await until(
        async () => {
          const response = await fetch(`${system.url}/v1/feeds/es.rss?limit=100`, {
            headers: { authorization: `Bearer ${partnerToken}`, ...(etag && { "if-none-match": etag }) },
          });
          if (response.status === 200) {
            etag = response.headers.get("etag") ?? "";
            feedBody = await response.text();
          } else if (response.status !== 304) {
            throw new Error(`latency: es.rss answered ${response.status}: ${await response.text()}`);
          }
          return feedBody.includes(needle);
        },
        `${item.guid} in the partner feed`,
        POLLING,
      );
    };

    /** Where one item's time went, ms per stage, from the rows' own timestamps. */
    const stagesOf = async (item: NewsItem, pollAt: number, seenAt: number): Promise<Record<Stage, number>> => {
      const db = system.runtime.db;
      const article = await db
        .selectFrom("articles")
        .select(["id", "first_seen_at"])
        .where("source_id", "=", sourceId)
        .where("guid", "=", item.guid)
        .executeTakeFirstOrThrow();
      const events = await db
        .selectFrom("translation_events as e")
        .innerJoin("translations as t", "t.id", "e.translation_id")
        .select(["e.to_status", "e.at"])
        .where("t.article_id", "=", article.id)
        .where("t.lang", "=", "es")
        .orderBy("e.at")
        .execute();
      const at = (status: string) => new Date(events.find((event) => event.to_status === status)?.at ?? 0).getTime();
      return spentPerStage(pollAt, [
        ["stored", new Date(article.first_seen_at).getTime()],
        ["translating", at("translating")],
        ["in_review", at("in_review")],
        ["approved", at("approved")],
        ["published", at("published")],
        ["in partner feed", seenAt],
      ]);
    };

    const dir = await mkdtemp(path.join(tmpdir(), "babelwire-latency-"));
    const itemsOfRound = (round: number, at: Date) =>
      Array.from({ length: ITEMS }, (_, index) => newsItem(round * 1000 + index + 1, feedBase, at, "latency"));
    const p50s: string[] = [];
    const baselineP50s: string[] = [];
    const spentAll: Array<Record<Stage, number>> = [];
    let oursRound = 0;
    let baselineRound = 0;

    /** One item through the whole way: published in the local feed, poll asked for, seen by the partner. */
    const measureItem = async (item: NewsItem): Promise<number> => {
      items.push(item);
      const pollAt = Date.now();
      const started = performance.now();
      const response = await fetch(`${system.url}/v1/sources/${sourceId}/poll`, {
        method: "POST",
        headers: { authorization: `Bearer ${admin}` },
      });
      if (response.status !== 202) throw new Error(`latency: the poll answered ${response.status}`);
      await readUntilPublished(item);
      const elapsed = performance.now() - started;
      spentAll.push(await stagesOf(item, pollAt, pollAt + elapsed));
      return elapsed / 1000;
    };

    // Two unrecorded items: Apertium's files in the page cache, JIT, the feed cache's first render.
    for (const item of itemsOfRound(0, new Date())) {
      if (items.length >= 2) break;
      await measureItem(item);
    }
    spentAll.length = 0;

    const notes = [
      `${ITEMS} items a round, one at a time (each ${engineHtml(newsItem(1, feedBase, new Date(), "latency")).length} characters of HTML to the engine: title, lead, 4 paragraphs, numbers in each so translation memory never answers), one source (review auto, full text never, targets [es]), the feed listing the latest ${FEED_WINDOW}`,
      `ours: from POST /v1/sources/{id}/poll until a partner's conditional GET of /v1/feeds/es.rss (asked every ${READ_EVERY_MS} ms) lists the item; all-in-one process (startSystem) with the apertium command, PGlite in memory, this process's Redis; value is the round's p95`,
      "baseline: one `apertium -u -f html eng-spa` call on each of the same items' HTML, the round's p95",
    ];
    return {
      notes,
      async ours() {
        oursRound++;
        const latencies: number[] = [];
        for (const item of itemsOfRound(oursRound, new Date())) latencies.push(await measureItem(item));
        p50s.push(percentile(latencies, 50).toFixed(2));
        const p95 = percentile(latencies, 95);
        return p95;
      },
      async baseline() {
        baselineRound++;
        const times = await apertiumSeconds(dir, itemsOfRound(baselineRound, new Date()));
        baselineP50s.push(percentile(times, 50).toFixed(2));
        const p95 = percentile(times, 95);
        return p95;
      },
      async close() {
        await stopSystem(system, config);
        feedServer.close();
        await rm(dir, { recursive: true, force: true });
        notes.push(`p50 by round: ours ${p50s.join(", ")} s; Apertium ${baselineP50s.join(", ")} s`);
        if (spentAll.length > 0) {
          const where = STAGES.map((stage) => {
            const values = spentAll.map((spent) => spent[stage]);
            return `${stage} ${seconds(median(values))} (p95 ${seconds(percentile(values, 95))})`;
          });
          notes.push(
            `where the time goes, median s from the instant before (the first from the poll request) to: ${where.join("; ")}`,
          );
        }
      },
    };
  },
};
