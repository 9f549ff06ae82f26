import { createServer, type OutgoingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { buildApp } from "@babelwire/api";
import { createPartner, createToken } from "@babelwire/db";
import { openRuntime } from "@babelwire/runtime";
import { clearQueuePrefix, testConfig } from "@babelwire/runtime/testing";
import { runLoad } from "../fixtures/load-generator.ts";
import { seedPublishedFeed } from "../fixtures/published-feed.ts";
import type { Benchmark } from "../harness.ts";

const ITEMS = 50;
const CONNECTIONS = 10;
const SECONDS = 5;
const WARMUP_SECONDS = 1;
const KEPT_HEADERS = ["content-type", "etag", "last-modified", "cache-control"];

/** The baseline: node:http answering every request with the bytes and validators the API sent. */
async function staticServer(body: Buffer, headers: OutgoingHttpHeaders): Promise<Server> {
  const server = createServer((_request, response) => {
    response.writeHead(200, headers);
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

function urlOf(server: Server, pathAndQuery: string): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}${pathAndQuery}`;
}

/** req/s of one autocannon run; a run with any failed request is no measurement. */
async function requestsPerSecond(url: string, seconds: number): Promise<number> {
  const result = await runLoad(url, { connections: CONNECTIONS, seconds });
  if (result.non2xx > 0 || result.errors > 0 || result.requests === 0) {
    throw new Error(`feed-serving: ${url} gave ${result.non2xx} non-2xx and ${result.errors} errors`);
  }
  return result.requestsPerSecond;
}

export const feedServing: Benchmark = {
  name: "feed-serving",
  unit: "req/s",
  goal: { of: "ratio", op: ">=", target: 0.8 },
  rounds: 3,
  // A full round each side would add 10 s; setup warms both servers for a second instead.
  warmup: false,
  async setup() {
    // The rate limit is counted on every request, as in production, but set above what the load reaches.
    const runtime = await openRuntime(testConfig({ PARTNER_RATE_LIMIT: "100000000/h" }), "bench");
    await seedPublishedFeed(runtime.db, ITEMS, "es");
    const partner = await createPartner(runtime.db, { name: "Bench outlet", languages: ["es"] });
    const { token } = await createToken(runtime.db, { role: "partner", partnerId: partner.id, label: "bench" });
    const app = await buildApp(runtime);
    await app.listen({ port: 0, host: "127.0.0.1" });
    const feedUrl = urlOf(app.server, `/v1/feeds/es.rss?token=${token}`);
    const sample = await fetch(feedUrl);
    if (sample.status !== 200) throw new Error(`feed-serving: the feed answered ${sample.status}`);
    const body = Buffer.from(await sample.arrayBuffer());
    const headers: OutgoingHttpHeaders = {};
    for (const name of KEPT_HEADERS) {
      const value = sample.headers.get(name);
      if (value !== null) headers[name] = value;
    }
    const baselineServer = await staticServer(body, headers);
    const baselineUrl = urlOf(baselineServer, "/v1/feeds/es.rss");
    await requestsPerSecond(feedUrl, WARMUP_SECONDS);
    await requestsPerSecond(baselineUrl, WARMUP_SECONDS);
    return {
      notes: [
        `GET /v1/feeds/es.rss?token= (partner), ${ITEMS} items, ${Math.round(body.length / 1024)} KB; autocannon in a child process, ${CONNECTIONS} connections, ${SECONDS} s a round`,
        "served from the feed cache (process memory per generation, Redis behind it); each request counts against the token's rate limit and reads the generation from Redis",
      ],
      ours: () => requestsPerSecond(feedUrl, SECONDS),
      baseline: () => requestsPerSecond(baselineUrl, SECONDS),
      async close() {
        await new Promise((resolve) => baselineServer.close(resolve));
        await app.close();
        await clearQueuePrefix(runtime.redis, runtime.config.QUEUE_PREFIX);
        await runtime.close();
      },
    };
  },
};
