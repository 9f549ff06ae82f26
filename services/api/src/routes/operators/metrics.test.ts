import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createSource, createToken, getSource } from "@babelwire/db";
import { ingestorService } from "@babelwire/ingestor";
import { openRuntime, type Runtime, startService } from "@babelwire/runtime";
import { clearQueuePrefix, testConfig } from "@babelwire/runtime/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiApp, buildApp } from "../../app.ts";

const FEED = `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>https://example.org/</link>
<language>en</language><item><guid>m1</guid><title>Ministers meet in Brussels</title>
<link>https://example.org/m1</link><description>Ministers met in Brussels on Monday to agree a budget for the coming
year, after two days of talks that ran late into the night.</description>
<pubDate>Thu, 07 Nov 2024 14:21:00 +0200</pubDate></item></channel></rss>`;

let runtime: Runtime;
let app: ApiApp;
let feedServer: Server;
let feedUrl: string;

beforeAll(async () => {
  runtime = await openRuntime(testConfig(), "metrics-test");
  app = await buildApp(runtime);
  feedServer = createServer((request, response) => {
    if (request.url === "/broken.xml") response.writeHead(500).end("down");
    else response.writeHead(200, { "content-type": "application/rss+xml" }).end(FEED);
  });
  await new Promise<void>((done) => feedServer.listen(0, "127.0.0.1", done));
  feedUrl = `http://127.0.0.1:${(feedServer.address() as AddressInfo).port}/feed.xml`;
});

afterAll(async () => {
  feedServer?.close();
  await app?.close();
  await clearQueuePrefix(runtime.redis, runtime.config.QUEUE_PREFIX);
  await runtime?.close();
});

async function scrape(target: ApiApp = app): Promise<string> {
  const response = await target.inject({ method: "GET", url: "/metrics" });
  expect(response.statusCode).toBe(200);
  expect(response.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
  return response.body;
}

async function eventually(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition never held");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("GET /metrics", () => {
  it("counts HTTP requests by route pattern, never by raw URL or its query", async () => {
    const admin = (await createToken(runtime.db, { role: "admin" })).token;
    // A feed reader's credential rides in the query string; it must never become a label.
    const reader = admin;
    const id = randomUUID();
    expect((await app.inject({ method: "GET", url: `/v1/feeds/es.rss?token=${reader}` })).statusCode).toBe(200);
    const missing = await app.inject({
      method: "GET",
      url: `/v1/sources/${id}`,
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(missing.statusCode).toBe(404);
    expect((await app.inject({ method: "GET", url: "/wp-admin/secret-probe" })).statusCode).toBe(404);
    const text = await scrape();
    expect(text).toContain('babelwire_http_requests_total{method="GET",route="/v1/feeds/:lang.rss",status="200"} 1');
    expect(text).toContain('babelwire_http_requests_total{method="GET",route="/v1/sources/:id",status="404"} 1');
    expect(text).toContain('babelwire_http_requests_total{method="GET",route="unmatched",status="404"} 1');
    expect(text).toMatch(
      /babelwire_http_request_duration_seconds_count\{method="GET",route="\/v1\/sources\/:id",status="404"\} 1/,
    );
    expect(text).not.toContain(reader);
    expect(text).not.toContain(id);
    expect(text).not.toContain("secret-probe");
  });

  it("reports queue depths, translations by state, and feed polls after the ingestor polled a feed", async () => {
    const source = await createSource(runtime.db, { url: feedUrl, targets: ["es", "ca"], fullText: "never" });
    const outcome = await ingestorService(runtime).handlers.poll?.(
      { sourceId: source.id, force: true },
      {
        id: "manual",
        attempt: 1,
        maxAttempts: 1,
      },
    );
    expect(outcome).toMatchObject({ outcome: "fetched", new: 1 });
    const text = await scrape();
    expect(text).toContain('babelwire_feed_polls_total{outcome="fetched"} 1');
    expect(text).toContain("babelwire_articles_ingested_total 1");
    expect(text).toContain('babelwire_queue_jobs{queue="translate",state="waiting"} 2');
    expect(text).toContain('babelwire_queue_jobs{queue="summarize",state="waiting"} 1');
    expect(text).toContain('babelwire_queue_jobs{queue="publish",state="failed"} 0');
    expect(text).toContain('babelwire_translations{state="queued"} 2');
    expect(text).toContain('babelwire_translations{state="published"} 0');
    // Added without a name, the source took its feed's title at the poll.
    const named = await getSource(runtime.db, source.id);
    expect(named?.name).not.toBe(source.url);
    const labels = `source="${source.id}",name="${named?.name}"`;
    expect(text).toContain(`babelwire_source_consecutive_errors{${labels}} 0`);
    expect(text).toContain(`babelwire_source_items_seen{${labels}} 1`);
    expect(text).toContain(`babelwire_source_quiet{${labels}} 0`);
    expect(text).toMatch(new RegExp(`babelwire_source_last_success_timestamp_seconds\\{${labels}\\} \\d{10}`));
    expect(text).toContain('babelwire_queue_paused{queue="translate"} 0');
    expect(text).toMatch(/babelwire_queue_oldest_waiting_seconds\{queue="translate"\} \d+/);
  });

  it("shows a broken feed's error code in polls by outcome and in its source's health", async () => {
    const source = await createSource(runtime.db, { url: feedUrl.replace("feed.xml", "broken.xml"), targets: ["es"] });
    await ingestorService(runtime)
      .handlers.poll?.({ sourceId: source.id, force: true }, { id: "manual", attempt: 1, maxAttempts: 1 })
      .catch(() => undefined);
    const text = await scrape();
    const labels = `source="${source.id}",name="${source.name}"`;
    expect(text).toContain('babelwire_feed_polls_total{outcome="FEED_HTTP_500"} 1');
    expect(text).toContain(`babelwire_source_consecutive_errors{${labels}} 1`);
    expect(text).toContain(`babelwire_source_error{${labels},code="FEED_HTTP_500"} 1`);
  });

  it("observes each job's duration by queue and outcome once a worker ran it", async () => {
    const service = await startService(runtime, { handlers: { publish: async () => {} } });
    try {
      await runtime.queues.enqueuePublish({ translationId: randomUUID() });
      await eventually(async () => (await runtime.queues.status("publish")).completed === 1);
    } finally {
      await service.close();
    }
    const text = await scrape();
    expect(text).toContain('babelwire_job_duration_seconds_count{queue="publish",outcome="completed"} 1');
    expect(text).toContain('babelwire_queue_jobs_per_minute{queue="publish"} 1');
    expect(text).toMatch(/babelwire_job_duration_seconds_bucket\{le="\+Inf",queue="publish",outcome="completed"\} 1/);
  });

  it("defines the engine and webhook series the translator and publisher record", async () => {
    runtime.metrics.countEngineCharacters("apertium", 42);
    runtime.metrics.countEngineError("apertium", "ENGINE_UNAVAILABLE");
    const text = await scrape();
    expect(text).toContain('babelwire_engine_characters_total{engine="apertium"} 42');
    expect(text).toContain('babelwire_engine_errors_total{engine="apertium",code="ENGINE_UNAVAILABLE"} 1');
    expect(text).toContain("# TYPE babelwire_webhook_deliveries_total counter");
  });

  it("asks for the bearer METRICS_TOKEN when one is set, with the contract's error shape", async () => {
    const token = "metrics-scraper-secret-0123456789";
    const guarded = await buildApp({ ...runtime, config: { ...runtime.config, METRICS_TOKEN: token } });
    try {
      for (const headers of [{}, { authorization: "Bearer wrong-token-of-some-length" }, { authorization: token }]) {
        const refused = await guarded.inject({ method: "GET", url: "/metrics", headers });
        expect(refused.statusCode).toBe(401);
        expect(refused.json().error).toMatchObject({ code: "unauthorized", message: expect.any(String) });
      }
      const allowed = await guarded.inject({
        method: "GET",
        url: "/metrics",
        headers: { authorization: `Bearer ${token}` },
      });
      expect(allowed.statusCode).toBe(200);
      expect(allowed.body).toContain("babelwire_http_requests_total");
    } finally {
      await guarded.close();
    }
  });
});
