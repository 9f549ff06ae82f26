import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type RunningSystem, startSystem } from "@babelwire/cli/start-system";
import { repeatTo } from "@babelwire/core/linear-time";
import { createSource } from "@babelwire/db";
import { clearQueuePrefix, testConfig } from "@babelwire/runtime/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Issue 20's H3: one hostile item froze the whole process, /healthz included, for 11 s to minutes.
const MB = 1_000_000;
const HOSTILE_BODIES: Record<string, string> = {
  // Quadratic in the full-text check's regex: 100 KB took 11 s. It ends as a lead, so its page is fetched.
  dots: `Dots story. ${".".repeat(MB)}x Read more`,
  // Quadratic in the sanitizer: 750 KB took 11 s, 1.8 MB of <b><i> 141 s.
  nested: `<p>Nested story.</p>${repeatTo("<b><i>", MB)}`,
  cells: `<p>Cells story.</p>${repeatTo("<table><tr><td>", MB)}`,
};
// Readability: 120 KB of <b><i> took 64 s.
const DEEP_PAGE = `<html><body><article><h1>Deep page</h1><p>${"Deep page story, with enough words to be the main content. ".repeat(10)}</p>${repeatTo("<b><i>", MB)}</article></body></html>`;

let system: RunningSystem;
let feeds: Server;
let base: string;

function feedXml(): string {
  const items = Object.entries(HOSTILE_BODIES).map(
    ([name, body]) =>
      `<item><guid>${name}</guid><title>${name}</title><link>${base}/page/${name}</link><description><![CDATA[${body}]]></description></item>`,
  );
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Hostile</title><link>${base}/</link>${items.join("")}</channel></rss>`;
}

beforeAll(async () => {
  feeds = createServer((request, response) => {
    if (request.url === "/feed.xml") response.writeHead(200, { "content-type": "application/rss+xml" }).end(feedXml());
    else response.writeHead(200, { "content-type": "text/html" }).end(DEEP_PAGE);
  });
  await new Promise<void>((done) => feeds.listen(0, "127.0.0.1", done));
  base = `http://127.0.0.1:${(feeds.address() as AddressInfo).port}`;
  system = await startSystem(testConfig({ TARGET_LANGUAGES: "es" }));
});

afterAll(async () => {
  if (system) await clearQueuePrefix(system.runtime.redis, system.runtime.config.QUEUE_PREFIX);
  await system?.stop();
  feeds?.close();
});

/** Asks /healthz every 100 ms until `done` says so; returns the slowest answer's time. */
async function slowestHealthz(done: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let slowest = 0;
  while (Date.now() < deadline) {
    const started = performance.now();
    const response = await fetch(`${system.url}/healthz`);
    slowest = Math.max(slowest, performance.now() - started);
    expect(response.status).toBe(200);
    if (await done()) return slowest;
    await new Promise((wait) => setTimeout(wait, 100));
  }
  throw new Error(`the hostile items were not all processed within ${timeoutMs} ms`);
}

describe("hostile feed content in a running system", () => {
  it("keeps /healthz answering while 1 MB hostile items are polled, sanitized and their deep pages extracted", async () => {
    // No target language: the test is about ingestion, not about translating a megabyte. Full
    // text "auto", so that the check whose regex was quadratic decides on every item.
    const source = await createSource(system.runtime.db, { url: `${base}/feed.xml`, targets: [], fullText: "auto" });
    await system.runtime.queues.enqueuePoll({ sourceId: source.id });
    // The embedded database runs in this process too: the probe reads no bodies while it waits.
    const extracted = () =>
      system.runtime.db.selectFrom("articles").select(["extracted_at"]).where("source_id", "=", source.id).execute();
    const slowest = await slowestHealthz(async () => {
      const rows = await extracted();
      return rows.length === 3 && rows.every((row) => row.extracted_at !== null);
    }, 180_000);
    // Before the fix each of these items held the event loop for seconds to minutes.
    console.log(`slowest /healthz answer while the hostile items were processed: ${Math.round(slowest)} ms`);
    expect(slowest).toBeLessThan(2_000);
    const rows = await system.runtime.db
      .selectFrom("articles")
      .select(["guid", "content_text", "extract_error"])
      .where("source_id", "=", source.id)
      .execute();
    expect(rows.map((row) => row.guid).sort()).toEqual(["cells", "dots", "nested"]);
    for (const row of rows) {
      expect(row.extract_error).toBeNull();
      expect(row.content_text).toContain("Deep page story");
    }
  });
});
