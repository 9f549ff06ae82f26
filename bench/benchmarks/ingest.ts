import { decodeFeed, distinctGuids, normalizeItems, parseFeed, simhash } from "@babelwire/ingest";
import Parser from "rss-parser";
import { buildFeed, FEED_URL } from "../fixtures/build-feed.ts";
import type { Benchmark } from "../harness.ts";
import { repeatFor } from "../harness.ts";
import { createStageTimes, type StageTimes } from "../stage-times.ts";

const ITEMS = 200;
const ROUND_MS = 1500;
const CONTENT_TYPE = "application/rss+xml; charset=utf-8";
const NOW = new Date(Date.UTC(2024, 10, 8));

/**
 * decode → parse → normalize (which sanitizes) → dedupe, as a poll does it, minus fetch and
 * storage; each stage timed, for the note that says where the time goes.
 */
async function readInMemory(bytes: Buffer, stages: StageTimes): Promise<number> {
  stages.countRun();
  const text = stages.time("decode", () => decodeFeed(bytes, CONTENT_TYPE));
  const feed = await stages.timeAsync("parse", () => parseFeed(text));
  const normalized = stages.time("normalize+sanitize", () =>
    normalizeItems({ feedUrl: FEED_URL, feed, fallbackLanguage: null, now: NOW }),
  );
  const articles = stages.time("distinctGuids", () => distinctGuids(normalized));
  stages.time("simhash", () => {
    for (const article of articles) simhash(article.contentText);
  });
  return articles.length;
}

export const ingest: Benchmark = {
  name: "ingest",
  unit: "items/s",
  goal: { of: "ratio", op: ">=", target: 0.5 },
  rounds: 5,
  warmup: true,
  async setup() {
    const bytes = buildFeed(ITEMS);
    const stages = createStageTimes();
    const read = await readInMemory(bytes, createStageTimes());
    if (read !== ITEMS) throw new Error(`ingest: expected ${ITEMS} articles from the fixture, got ${read}`);
    const parser = new Parser();
    const notes = [`${ITEMS}-item feed, ${Math.round(bytes.length / 1024)} KB in memory; simhash of every body`];
    return {
      notes,
      async ours() {
        const { runs, ms } = await repeatFor(ROUND_MS, async () => {
          await readInMemory(bytes, stages);
        });
        return (runs * ITEMS * 1000) / ms;
      },
      async baseline() {
        const { runs, ms } = await repeatFor(ROUND_MS, async () => {
          await parser.parseString(bytes.toString("utf8"));
        });
        return (runs * ITEMS * 1000) / ms;
      },
      async close() {
        notes.push(`ours by stage, for ${ITEMS} items: ${stages.describe()}`);
      },
    };
  },
};
