import type { CircuitState, JobOutcome } from "@babelwire/core";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { registerHttpSeries } from "./http-series.ts";

/** Engine circuit states as the gauge reports them: a number, so alerts can compare. */
export const CIRCUIT_STATES = { closed: 0, half_open: 1, open: 2 } as const satisfies Record<CircuitState, number>;

/**
 * One process's Prometheus metrics, on a registry of its own (never prom-client's global one,
 * so tests and several runtimes in one process do not collide). Recording goes through the
 * named methods; the raw prom-client objects are there for reading in tests.
 */
export interface Metrics {
  registry: Registry;
  /** `text/plain; version=0.0.4; charset=utf-8`. */
  contentType: string;
  render(): Promise<string>;

  /** One HTTP request; `route` is the route pattern (`/v1/sources/:id`), never the raw URL. */
  observeHttp(labels: { method: string; route: string; status: number }, seconds: number): void;
  /**
   * What `observeHttp` records for these labels, bound to their series once: the cached feed's
   * fast path answers the same route and status for most requests, where finding the series
   * each time was a fifth of its own work (bench feed-304).
   */
  httpRecorder(labels: { method: string; route: string; status: number }): (seconds: number) => void;
  /** One job attempt of a queue and how it ended. */
  observeJob(queue: string, outcome: JobOutcome, seconds: number): void;
  /** One poll: `fetched`, `not_modified`, `skipped` or the error code (`FEED_HTTP_500`). */
  countPoll(outcome: string): void;
  /** Articles stored new or changed by a poll or an import. */
  countArticlesIngested(count: number): void;
  /** One call to a translation engine. */
  countEngineRequest(engine: string): void;
  /** Source characters sent to a translation engine (what paid engines bill). */
  countEngineCharacters(engine: string, characters: number): void;
  /** One failed call to a translation engine, by its error code (`ENGINE_QUOTA_EXCEEDED`). */
  countEngineError(engine: string, code: string): void;
  setEngineCircuit(engine: string, state: CircuitState): void;
  /** One webhook delivery attempt: `delivered`, `failed`, `timeout`, … */
  countWebhookDelivery(outcome: string): void;
  /**
   * One long-poll sync request: `immediate` (had changes), `changed` (woken by an announced
   * change), `settled` (by a change made just before it came, once readable) or `timeout`.
   */
  countSyncWait(outcome: string): void;
  /** One WebSub event of the hub (`verified`, `refused`, `delivered`, `retrying`, `failed`, `gone`) or of the subscriber. */
  countWebSub(role: "hub" | "subscriber", outcome: string): void;
  /** Long-poll sync requests held open by this process, up or down by one. */
  addSyncWaiting(delta: number): void;
  /** Queue depths, read from BullMQ at scrape time; replaces the previous reading. */
  setQueueJobs(readings: Array<{ queue: string; state: string; count: number }>): void;
  /** Translations per state, read from the database at scrape time; replaces the previous reading. */
  setTranslations(counts: Record<string, number>): void;
  /** Per queue: paused or not, backlog age and live worker processes; replaces the previous reading. */
  setQueueStatus(readings: QueueStatusReading[]): void;
  /** Every source's health, read from the database at scrape time; replaces the previous reading. */
  setSourceHealth(readings: SourceHealthReading[]): void;
  /** Per engine and pair, what editors did with its output (GET /v1/engines/quality); replaces the previous reading. */
  setEngineQuality(readings: EngineQualityReading[]): void;
}

export interface EngineQualityReading {
  engine: string;
  from: string;
  to: string;
  items: number;
  meanEditRate: number | null;
  approvedUnchanged: number | null;
  rejected: number;
}

export interface QueueStatusReading {
  queue: string;
  paused: boolean;
  oldestWaitingSeconds: number;
  /** Jobs completed in the last 60 seconds, from BullMQ's completed set (every worker's, wherever it runs). */
  jobsPerMinute: number;
  workers: number;
}

/** One source as `GET /v1/sources` shows its health; `source` is its id, `name` its display name. */
export interface SourceHealthReading {
  source: string;
  name: string;
  consecutiveErrors: number;
  /** The error code of the last poll, or null when it went well. */
  errorCode: string | null;
  /** Unix seconds of the last fetch and of the last successful one; null if never. */
  lastFetchAt: number | null;
  lastSuccessAt: number | null;
  nextPollAt: number | null;
  quiet: boolean;
  itemsSeen: number;
}

/** Request latencies: fast JSON reads up to slow feed renders. */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Job durations: a poll of a fast feed up to a long Apertium run. */
const JOB_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  const registers = [registry];
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: "babelwire_" });

  const http = registerHttpSeries(registry, HTTP_BUCKETS);
  const queueJobs = new Gauge({
    name: "babelwire_queue_jobs",
    help: "Jobs per queue and state (waiting, active, delayed, failed, completed), read at scrape time",
    labelNames: ["queue", "state"] as const,
    registers,
  });
  const jobDuration = new Histogram({
    name: "babelwire_job_duration_seconds",
    help: "Job attempt duration by queue and outcome (completed, retrying, failed)",
    labelNames: ["queue", "outcome"] as const,
    buckets: JOB_BUCKETS,
    registers,
  });
  const feedPolls = new Counter({
    name: "babelwire_feed_polls_total",
    help: "Feed polls by outcome: fetched, not_modified, skipped or the error code",
    labelNames: ["outcome"] as const,
    registers,
  });
  const articlesIngested = new Counter({
    name: "babelwire_articles_ingested_total",
    help: "Articles stored new or changed",
    registers,
  });
  const translations = new Gauge({
    name: "babelwire_translations",
    help: "Translations per state, read from the database at scrape time",
    labelNames: ["state"] as const,
    registers,
  });
  const engineRequests = new Counter({
    name: "babelwire_engine_requests_total",
    help: "Calls to translation engines",
    labelNames: ["engine"] as const,
    registers,
  });
  const engineCharacters = new Counter({
    name: "babelwire_engine_characters_total",
    help: "Source characters sent to translation engines",
    labelNames: ["engine"] as const,
    registers,
  });
  const engineErrors = new Counter({
    name: "babelwire_engine_errors_total",
    help: "Failed calls to translation engines by error code",
    labelNames: ["engine", "code"] as const,
    registers,
  });
  const engineCircuit = new Gauge({
    name: "babelwire_engine_circuit_state",
    help: "Translation engine circuit breaker: 0 closed, 1 half-open, 2 open",
    labelNames: ["engine"] as const,
    registers,
  });
  const queuePaused = new Gauge({
    name: "babelwire_queue_paused",
    help: "1 while a queue is paused (no worker takes its jobs), else 0",
    labelNames: ["queue"] as const,
    registers,
  });
  const queueOldestWaiting = new Gauge({
    name: "babelwire_queue_oldest_waiting_seconds",
    help: "How long the oldest waiting job of a queue has waited; 0 when none waits",
    labelNames: ["queue"] as const,
    registers,
  });
  const queueThroughput = new Gauge({
    name: "babelwire_queue_jobs_per_minute",
    help: "Jobs a queue completed in the last 60 seconds, across every worker, read at scrape time",
    labelNames: ["queue"] as const,
    registers,
  });
  const queueWorkers = new Gauge({
    name: "babelwire_queue_workers",
    help: "Worker processes with a live heartbeat per queue",
    labelNames: ["queue"] as const,
    registers,
  });
  const sourceErrors = new Gauge({
    name: "babelwire_source_consecutive_errors",
    help: "Polls in a row that failed, per source; 0 after a good poll",
    labelNames: ["source", "name"] as const,
    registers,
  });
  const sourceFailing = new Gauge({
    name: "babelwire_source_error",
    help: "1 with the error code of a source's last poll when it failed; absent when it went well",
    labelNames: ["source", "name", "code"] as const,
    registers,
  });
  const sourceLastFetch = new Gauge({
    name: "babelwire_source_last_fetch_timestamp_seconds",
    help: "When a source was last fetched (Unix seconds)",
    labelNames: ["source", "name"] as const,
    registers,
  });
  const sourceLastSuccess = new Gauge({
    name: "babelwire_source_last_success_timestamp_seconds",
    help: "When a source was last fetched without error (Unix seconds)",
    labelNames: ["source", "name"] as const,
    registers,
  });
  const sourceNextPoll = new Gauge({
    name: "babelwire_source_next_poll_timestamp_seconds",
    help: "When a source is next polled (Unix seconds)",
    labelNames: ["source", "name"] as const,
    registers,
  });
  const sourceQuiet = new Gauge({
    name: "babelwire_source_quiet",
    help: "1 when a source has published nothing for much longer than its usual gap",
    labelNames: ["source", "name"] as const,
    registers,
  });
  const sourceItems = new Gauge({
    name: "babelwire_source_items_seen",
    help: "Items a source has carried since it was added (rate over a day gives items per day)",
    labelNames: ["source", "name"] as const,
    registers,
  });
  const qualityLabels = ["engine", "from", "to"] as const;
  const engineReviewed = new Gauge({
    name: "babelwire_engine_reviewed_items",
    help: "Translations editors approved or rejected, per engine and language pair, read at scrape time",
    labelNames: qualityLabels,
    registers,
  });
  const engineEditRate = new Gauge({
    name: "babelwire_engine_edit_rate_mean",
    help: "Mean post-editing rate (word edits ÷ words approved, HTER-like) of approved translations, per engine and pair",
    labelNames: qualityLabels,
    registers,
  });
  const engineUnchanged = new Gauge({
    name: "babelwire_engine_approved_unchanged_ratio",
    help: "Share of approved translations editors did not change, per engine and pair",
    labelNames: qualityLabels,
    registers,
  });
  const engineRejected = new Gauge({
    name: "babelwire_engine_rejected_items",
    help: "Translations editors rejected, per engine and language pair",
    labelNames: qualityLabels,
    registers,
  });
  const webhookDeliveries = new Counter({
    name: "babelwire_webhook_deliveries_total",
    help: "Webhook delivery attempts by outcome",
    labelNames: ["outcome"] as const,
    registers,
  });
  const syncWaits = new Counter({
    name: "babelwire_sync_waits_total",
    help: "Long-poll sync requests (wait > 0) by how they ended: immediate, changed, settled or timeout",
    labelNames: ["outcome"] as const,
    registers,
  });
  const websubEvents = new Counter({
    name: "babelwire_websub_events_total",
    help: "WebSub events by role (hub, subscriber) and outcome",
    labelNames: ["role", "outcome"] as const,
    registers,
  });
  const syncWaiting = new Gauge({
    name: "babelwire_sync_requests_waiting",
    help: "Long-poll sync requests held open by this process now",
    registers,
  });

  return {
    registry,
    contentType: registry.contentType,
    render: () => registry.metrics(),
    observeHttp: ({ method, route, status }, seconds) => http.observe(method, route, status, seconds),
    httpRecorder: ({ method, route, status }) => http.recorder(method, route, status),
    observeJob: (queue, outcome, seconds) => jobDuration.observe({ queue, outcome }, seconds),
    countPoll: (outcome) => feedPolls.inc({ outcome }),
    countArticlesIngested: (count) => {
      if (count > 0) articlesIngested.inc(count);
    },
    countEngineRequest: (engine) => engineRequests.inc({ engine }),
    countEngineCharacters: (engine, characters) => {
      if (characters > 0) engineCharacters.inc({ engine }, characters);
    },
    countEngineError: (engine, code) => engineErrors.inc({ engine, code }),
    setEngineCircuit: (engine, state) => engineCircuit.set({ engine }, CIRCUIT_STATES[state]),
    countWebhookDelivery: (outcome) => webhookDeliveries.inc({ outcome }),
    countSyncWait: (outcome) => syncWaits.inc({ outcome }),
    countWebSub: (role, outcome) => websubEvents.inc({ role, outcome }),
    addSyncWaiting: (delta) => syncWaiting.inc(delta),
    setQueueJobs(readings) {
      queueJobs.reset();
      for (const { queue, state, count } of readings) queueJobs.set({ queue, state }, count);
    },
    setTranslations(counts) {
      translations.reset();
      for (const [state, count] of Object.entries(counts)) translations.set({ state }, count);
    },
    setQueueStatus(readings) {
      for (const gauge of [queuePaused, queueOldestWaiting, queueThroughput, queueWorkers]) gauge.reset();
      for (const { queue, paused, oldestWaitingSeconds, jobsPerMinute, workers } of readings) {
        queuePaused.set({ queue }, paused ? 1 : 0);
        queueOldestWaiting.set({ queue }, oldestWaitingSeconds);
        queueThroughput.set({ queue }, jobsPerMinute);
        queueWorkers.set({ queue }, workers);
      }
    },
    setSourceHealth(readings) {
      const gauges = [
        sourceErrors,
        sourceFailing,
        sourceLastFetch,
        sourceLastSuccess,
        sourceNextPoll,
        sourceQuiet,
        sourceItems,
      ];
      for (const gauge of gauges) gauge.reset();
      for (const reading of readings) {
        const labels = { source: reading.source, name: reading.name };
        sourceErrors.set(labels, reading.consecutiveErrors);
        if (reading.errorCode) sourceFailing.set({ ...labels, code: reading.errorCode }, 1);
        if (reading.lastFetchAt !== null) sourceLastFetch.set(labels, reading.lastFetchAt);
        if (reading.lastSuccessAt !== null) sourceLastSuccess.set(labels, reading.lastSuccessAt);
        if (reading.nextPollAt !== null) sourceNextPoll.set(labels, reading.nextPollAt);
        sourceQuiet.set(labels, reading.quiet ? 1 : 0);
        sourceItems.set(labels, reading.itemsSeen);
      }
    },
    setEngineQuality(readings) {
      for (const gauge of [engineReviewed, engineEditRate, engineUnchanged, engineRejected]) gauge.reset();
      for (const reading of readings) {
        const labels = { engine: reading.engine, from: reading.from, to: reading.to };
        engineReviewed.set(labels, reading.items);
        if (reading.meanEditRate !== null) engineEditRate.set(labels, reading.meanEditRate);
        if (reading.approvedUnchanged !== null) engineUnchanged.set(labels, reading.approvedUnchanged);
        engineRejected.set(labels, reading.rejected);
      }
    },
  };
}
