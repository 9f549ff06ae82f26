import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Db, listPublished, migrate, openDatabase } from "@babelwire/db";
import { liveFeedItem, renderRss } from "@babelwire/syndicate";
import { seedPublishedFeed } from "../fixtures/published-feed.ts";
import { type Benchmark, repeatFor } from "../harness.ts";
import { createStageTimes, type StageTimes } from "../stage-times.ts";

const ITEMS = 50;
const LANG = "es";
const BASE_URL = "http://127.0.0.1:3000";
const ROUND_MS = 1500;

/** What the route does for a feed before any cache: read the published items, render RSS. */
async function renderFeed(db: Db, stages: StageTimes): Promise<string> {
  stages.countRun();
  const items = await stages.timeAsync("listPublished", () => listPublished(db, { lang: LANG, limit: ITEMS }));
  return stages.time("renderRss", () =>
    renderRss({
      lang: LANG,
      selfUrl: `${BASE_URL}/v1/feeds/${LANG}.rss`,
      siteUrl: BASE_URL,
      generatedAt: new Date(Math.max(0, ...items.map((item) => item.updatedAt.getTime()))),
      // The seeded feed has one language, so no other versions to link.
      items: items.map((item) => liveFeedItem(item, new Map(), BASE_URL)),
    }),
  );
}

export const feedRender: Benchmark = {
  name: "feed-render",
  unit: "ms/feed",
  goal: { of: "value", op: "<", target: 20 },
  rounds: 5,
  warmup: true,
  async setup() {
    const db = await openDatabase({ url: "memory://", dataDir: mkdtempSync(path.join(tmpdir(), "babelwire-bench-")) });
    await migrate(db);
    await seedPublishedFeed(db, ITEMS, LANG);
    const stages = createStageTimes();
    const sample = await renderFeed(db, createStageTimes());
    const rendered = sample.split("<item>").length - 1;
    if (rendered !== ITEMS) throw new Error(`feed-render: expected ${ITEMS} items, rendered ${rendered}`);
    const notes = [
      `listPublished on PGlite in memory + renderRss, ${ITEMS} items, ${Math.round(sample.length / 1024)} KB`,
    ];
    return {
      notes,
      async ours() {
        const { runs, ms } = await repeatFor(ROUND_MS, async () => {
          await renderFeed(db, stages);
        });
        return ms / runs;
      },
      async close() {
        notes.push(stages.describe());
        await db.destroy();
      },
    };
  },
};
