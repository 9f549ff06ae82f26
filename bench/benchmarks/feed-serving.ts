import { createServer, type OutgoingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { buildApp, MAX_REQUESTS_PER_SOCKET } from "@babelwire/api";
import { createPartner, createToken } from "@babelwire/db";
import { openRuntime } from "@babelwire/runtime";
import { clearQueuePrefix, testConfig } from "@babelwire/runtime/testing";
import { runLoad } from "../fixtures/load-generator.ts";
import { seedPublishedFeed } from "../fixtures/published-feed.ts";
import type { Benchmark, Session } from "../harness.ts";

const CONNECTIONS = 10;
const SECONDS = 5;
/** Each side's warm-up before the rounds: after one second, the first round was a run's outlier (0.64; the rest 0.76–1.07). */
const WARMUP_SECONDS = 3;
/** Headers node:http writes itself on every answer: the baseline's server adds its own. */
const OWN_HEADERS = new Set(["date", "connection", "keep-alive", "content-length", "transfer-encoding"]);
const GOAL = { of: "ratio", op: ">=", target: 0.9 } as const;

/**
 * The baseline: node:http answering every request with the status, bytes and headers the API
 * sent (as fixed values: its request id and rate-limit counts do not change), with the API's
 * limit of requests per connection, asked with the same URL (`?token=` included). Both read
 * and write the same bytes and pay the same reconnections, so the ratio is our per-request work
 * alone: a baseline sending five headers against our ten measured Node's header writing, about
 * a tenth of a 304, as if it were ours; one asked without the token read 45 bytes fewer a request.
 */
async function staticServer(status: number, body: Buffer, headers: OutgoingHttpHeaders): Promise<Server> {
  const server = createServer((_request, response) => {
    response.writeHead(status, headers);
    response.end(status === 304 ? undefined : body);
  });
  server.maxRequestsPerSocket = MAX_REQUESTS_PER_SOCKET;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

function urlOf(server: Server, pathAndQuery: string): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}${pathAndQuery}`;
}

/**
 * req/s of one autocannon run; a run with any failed request, or any answer but the expected
 * status (200, or 304 for conditional requests), is no measurement.
 */
async function requestsPerSecond(url: string, seconds: number, headers?: Record<string, string>): Promise<number> {
  const result = await runLoad(url, {
    connections: CONNECTIONS,
    seconds,
    requestsPerConnection: MAX_REQUESTS_PER_SOCKET,
    ...(headers && { headers }),
  });
  const unexpected = headers ? result.requests - result.redirects : result.non2xx;
  if (unexpected > 0 || result.errors > 0 || result.requests === 0) {
    throw new Error(
      `feed-serving: ${url} gave ${unexpected} unexpected answers and ${result.errors} errors (by status: ${JSON.stringify(result.statusCodes)})`,
    );
  }
  return result.requestsPerSecond;
}

interface FeedUnderLoad {
  items: number;
  /** Each item's body is its lead alone. */
  summaries: boolean;
  /** Requests carry the feed's ETag in If-None-Match: the API and the baseline answer 304. */
  conditional: boolean;
}

/**
 * A cached partner feed served by the API beside node:http serving the same bytes, each run in
 * the same round: the ratio is our per-request work on the hot path (auth, rate limit, cache
 * lookup, logging, metrics) against none at all.
 */
async function feedSession(feed: FeedUnderLoad): Promise<Session> {
  // The rate limit is counted on every request, as in production, but set above what the load reaches.
  const runtime = await openRuntime(testConfig({ PARTNER_RATE_LIMIT: "100000000/h" }), "bench");
  await seedPublishedFeed(runtime.db, feed.items, "es", { summaries: feed.summaries });
  const partner = await createPartner(runtime.db, { name: "Bench outlet", languages: ["es"] });
  const { token } = await createToken(runtime.db, { role: "partner", partnerId: partner.id, label: "bench" });
  const app = await buildApp(runtime);
  await app.listen({ port: 0, host: "127.0.0.1" });
  const path = `/v1/feeds/es.rss${feed.items === 50 ? "" : `?limit=${feed.items}`}`;
  const pathWithToken = `${path}${path.includes("?") ? "&" : "?"}token=${token}`;
  const feedUrl = urlOf(app.server, pathWithToken);
  // As autocannon asks: no Accept-Encoding, so the plain bytes (fetch would ask for br and decode it).
  const identity = { "accept-encoding": "identity" };
  const full = await fetch(feedUrl, { headers: identity });
  if (full.status !== 200) throw new Error(`feed-serving: the feed answered ${full.status}`);
  const body = Buffer.from(await full.arrayBuffer());
  const conditional = feed.conditional ? { "if-none-match": String(full.headers.get("etag")) } : undefined;
  const sample = conditional ? await fetch(feedUrl, { headers: { ...identity, ...conditional } }) : full;
  if (sample.status !== (conditional ? 304 : 200)) throw new Error(`feed-serving: the feed answered ${sample.status}`);
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of sample.headers) if (!OWN_HEADERS.has(name)) headers[name] = value;
  const baselineServer = await staticServer(sample.status, body, headers);
  // The same request line as ours, token included: both read and parse the same bytes.
  const baselineUrl = urlOf(baselineServer, pathWithToken);
  await requestsPerSecond(feedUrl, WARMUP_SECONDS, conditional);
  await requestsPerSecond(baselineUrl, WARMUP_SECONDS, conditional);
  return {
    notes: [
      `GET ${path} with ?token= (partner), ${feed.items} items${feed.summaries ? " of summaries" : ""}, ${Math.round(body.length / 1024)} KB${feed.conditional ? ", If-None-Match matching: 304 both sides" : ""}; autocannon in a child process, ${CONNECTIONS} connections, ${SECONDS} s a round`,
      "served from process memory: the feed generation is pushed (pub/sub), the rate limit leased in batches, so no Redis round trip per request",
    ],
    ours: () => requestsPerSecond(feedUrl, SECONDS, conditional),
    baseline: () => requestsPerSecond(baselineUrl, SECONDS, conditional),
    async close() {
      await new Promise((resolve) => baselineServer.close(resolve));
      await app.close();
      await clearQueuePrefix(runtime.redis, runtime.config.QUEUE_PREFIX);
      await runtime.close();
    },
  };
}

function feedBenchmark(name: string, feed: FeedUnderLoad): Benchmark {
  return {
    name,
    unit: "req/s",
    goal: GOAL,
    // Seven rather than three: on this shared machine single rounds swing from 0.3 to 2.5.
    rounds: 7,
    // A full round each side would add 10 s; setup warms both servers for WARMUP_SECONDS instead.
    warmup: false,
    setup: () => feedSession(feed),
  };
}

/** The 50-item feed with full bodies (about 170 KB), as partners that republish read it. */
export const feedServing = feedBenchmark("feed-serving", { items: 50, summaries: false, conditional: false });

/** 30 items of summaries (about 40 KB): where copying bytes no longer hides the per-request work. */
export const feedServingSummaries = feedBenchmark("feed-serving-summaries", {
  items: 30,
  summaries: true,
  conditional: false,
});

/** A feed reader polling with its ETag: conditional requests answered 304, against node:http's 304. */
export const feed304 = feedBenchmark("feed-304", { items: 50, summaries: false, conditional: true });
