import { buildApp, MAX_REQUESTS_PER_SOCKET } from "@babelwire/api";
import { createPartner, createToken } from "@babelwire/db";
import { openRuntime } from "@babelwire/runtime";
import { clearQueuePrefix, testConfig } from "@babelwire/runtime/testing";
import { runLoad } from "./fixtures/load-generator.ts";
import { seedPublishedFeed } from "./fixtures/published-feed.ts";

/**
 * The cached feed path under load, for a CPU profile of our per-request work:
 * `node --import tsx --cpu-prof --cpu-prof-dir=bench/results/profiles bench/profile-feed-serving.ts [seconds] [304]`.
 * The 30-item feed of summaries with a partner token, as `feed-serving-summaries` measures it,
 * or with `304` conditional requests answered Not Modified, as `feed-304` does; autocannon runs
 * in a child process, so the main thread's profile holds the server alone.
 */
const seconds = Number(process.argv[2] ?? 10);
const conditional = process.argv[3] === "304";
const runtime = await openRuntime(testConfig({ PARTNER_RATE_LIMIT: "100000000/h" }), "bench");
try {
  await seedPublishedFeed(runtime.db, 30, "es", { summaries: true });
  const partner = await createPartner(runtime.db, { name: "Bench outlet", languages: ["es"] });
  const { token } = await createToken(runtime.db, { role: "partner", partnerId: partner.id, label: "profile" });
  const app = await buildApp(runtime);
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}/v1/feeds/es.rss?limit=30&token=${token}`;
  const etag = (await fetch(url)).headers.get("etag") ?? "";
  const load = {
    connections: 10,
    requestsPerConnection: MAX_REQUESTS_PER_SOCKET,
    ...(conditional && { headers: { "if-none-match": etag } }),
  };
  await runLoad(url, { ...load, seconds: 1 });
  const result = await runLoad(url, { ...load, seconds });
  console.log(`${Math.round(result.requestsPerSecond)} req/s, statuses ${JSON.stringify(result.statusCodes)}`);
  await app.close();
} finally {
  await clearQueuePrefix(runtime.redis, runtime.config.QUEUE_PREFIX);
  await runtime.close();
}
