import { describe, expect, it } from "vitest";
import { createMetrics } from "./metrics.ts";

describe("createMetrics", () => {
  it("renders recorded HTTP requests, jobs, polls and engine use in Prometheus text", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.observeHttp({ method: "GET", route: "/v1/sources/:id", status: 200 }, 0.02);
    metrics.observeJob("translate", "failed", 1.5);
    metrics.countPoll("FEED_HTTP_500");
    metrics.countArticlesIngested(3);
    metrics.countEngineCharacters("deepl", 1200);
    metrics.countEngineError("deepl", "ENGINE_QUOTA_EXCEEDED");
    metrics.setEngineCircuit("deepl", "open");
    const text = await metrics.render();
    expect(text).toContain('babelwire_http_requests_total{method="GET",route="/v1/sources/:id",status="200"} 1');
    expect(text).toContain(
      'babelwire_http_request_duration_seconds_bucket{le="0.025",method="GET",route="/v1/sources/:id",status="200"} 1',
    );
    expect(text).toContain('babelwire_job_duration_seconds_count{queue="translate",outcome="failed"} 1');
    expect(text).toContain('babelwire_feed_polls_total{outcome="FEED_HTTP_500"} 1');
    expect(text).toContain("babelwire_articles_ingested_total 3");
    expect(text).toContain('babelwire_engine_characters_total{engine="deepl"} 1200');
    expect(text).toContain('babelwire_engine_errors_total{engine="deepl",code="ENGINE_QUOTA_EXCEEDED"} 1');
    expect(text).toContain('babelwire_engine_circuit_state{engine="deepl"} 2');
    expect(metrics.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it("renders HTTP durations as a Prometheus histogram: cumulative buckets, +Inf, sum and count per series", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const feed = { method: "GET", route: "/v1/feeds/:lang.rss", status: 304 };
    for (const seconds of [0.001, 0.005, 0.3, 30]) metrics.observeHttp(feed, seconds);
    metrics.observeHttp({ ...feed, status: 200 }, 0.2);
    const lines = (await metrics.render()).split("\n").filter((line) => line.includes('status="304"'));
    const series = 'method="GET",route="/v1/feeds/:lang.rss",status="304"';
    const name = "babelwire_http_request_duration_seconds";
    // A bound holds what is at or below it, so 0.005 counts in le="0.005".
    expect(lines).toContain(`${name}_bucket{le="0.005",${series}} 2`);
    expect(lines).toContain(`${name}_bucket{le="0.25",${series}} 2`);
    expect(lines).toContain(`${name}_bucket{le="0.5",${series}} 3`);
    expect(lines).toContain(`${name}_bucket{le="10",${series}} 3`);
    expect(lines).toContain(`${name}_bucket{le="+Inf",${series}} 4`);
    expect(lines).toContain(`${name}_sum{${series}} 30.306`);
    expect(lines).toContain(`${name}_count{${series}} 4`);
    expect(lines).toContain(`babelwire_http_requests_total{${series}} 4`);
    expect(await metrics.render()).toContain(
      '# TYPE babelwire_http_request_duration_seconds histogram\nbabelwire_http_request_duration_seconds_bucket{le="0.005"',
    );
  });

  it("counts what a bound recorder records in the same series as observeHttp, through a registry reset too", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const feed = { method: "GET", route: "/v1/feeds/:lang.rss", status: 304 };
    const record = metrics.httpRecorder(feed);
    record(0.001);
    metrics.observeHttp(feed, 0.002);
    record(0.003);
    const series = 'method="GET",route="/v1/feeds/:lang.rss",status="304"';
    expect(await metrics.render()).toContain(`babelwire_http_requests_total{${series}} 3`);
    metrics.registry.resetMetrics();
    expect(await metrics.render()).toContain(`babelwire_http_requests_total{${series}} 0`);
    record(0.001);
    expect(await metrics.render()).toContain(`babelwire_http_requests_total{${series}} 1`);
    expect(await metrics.render()).toContain(`babelwire_http_request_duration_seconds_count{${series}} 1`);
  });

  it("replaces scrape-time readings so a state that emptied does not linger", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.setQueueJobs([{ queue: "poll", state: "waiting", count: 4 }]);
    metrics.setTranslations({ queued: 2, published: 7 });
    metrics.setQueueJobs([{ queue: "poll", state: "active", count: 1 }]);
    metrics.setTranslations({ queued: 0 });
    const text = await metrics.render();
    expect(text).toContain('babelwire_queue_jobs{queue="poll",state="active"} 1');
    expect(text).not.toContain('state="waiting"');
    expect(text).toContain('babelwire_translations{state="queued"} 0');
    expect(text).not.toContain('state="published"');
  });

  it("reports queue status and source health, and forgets a source's error once it polls well", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.setQueueStatus([
      { queue: "translate", paused: true, oldestWaitingSeconds: 90, jobsPerMinute: 42, workers: 3 },
    ]);
    const broken = {
      source: "s1",
      name: "Agency",
      consecutiveErrors: 4,
      errorCode: "FEED_HTTP_429",
      lastFetchAt: 1_700_000_000,
      lastSuccessAt: null,
      nextPollAt: 1_700_000_600,
      quiet: false,
      itemsSeen: 12,
    };
    metrics.setSourceHealth([broken]);
    let text = await metrics.render();
    expect(text).toContain('babelwire_queue_paused{queue="translate"} 1');
    expect(text).toContain('babelwire_queue_oldest_waiting_seconds{queue="translate"} 90');
    expect(text).toContain('babelwire_queue_workers{queue="translate"} 3');
    expect(text).toContain('babelwire_queue_jobs_per_minute{queue="translate"} 42');
    expect(text).toContain('babelwire_source_consecutive_errors{source="s1",name="Agency"} 4');
    expect(text).toContain('babelwire_source_error{source="s1",name="Agency",code="FEED_HTTP_429"} 1');
    expect(text).toContain('babelwire_source_next_poll_timestamp_seconds{source="s1",name="Agency"} 1700000600');
    expect(text).not.toContain("babelwire_source_last_success_timestamp_seconds{");

    metrics.setSourceHealth([{ ...broken, consecutiveErrors: 0, errorCode: null, lastSuccessAt: 1_700_000_700 }]);
    text = await metrics.render();
    expect(text).toContain('babelwire_source_consecutive_errors{source="s1",name="Agency"} 0');
    expect(text).not.toContain("babelwire_source_error{");
    expect(text).toContain('babelwire_source_last_success_timestamp_seconds{source="s1",name="Agency"} 1700000700');
  });

  it("keeps each instance's registry apart, so two runtimes in one process do not collide", async () => {
    const first = createMetrics();
    const second = createMetrics();
    first.countPoll("fetched");
    expect(await first.render()).toContain('babelwire_feed_polls_total{outcome="fetched"} 1');
    expect(await second.render()).not.toContain('babelwire_feed_polls_total{outcome="fetched"}');
    expect(await second.render()).toContain("babelwire_process_cpu_seconds_total");
  });
});
