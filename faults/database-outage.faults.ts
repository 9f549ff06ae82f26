import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalServer, serveNewsFeed } from "./support/feed-server.ts";
import { jobAttempts } from "./support/metrics.ts";
import {
  addNewsSource,
  allPublished,
  expectEachStoryPublishedOnce,
  LANGUAGES,
  publishedCount,
  workInFlight,
} from "./support/pipeline.ts";
import { SERVER_URL, throughPort } from "./support/postgres.ts";
import { readiness } from "./support/readiness.ts";
import { openScenario, type Scenario } from "./support/scenario.ts";
import { type TcpProxy, tcpProxy } from "./support/tcp-proxy.ts";
import { until } from "./support/until.ts";

const ITEMS = 20;
const TRANSLATIONS = ITEMS * LANGUAGES.length;
const OUTAGE_MS = 20_000;

let scenario: Scenario;
let feed: LocalServer & { feedUrl: string };
let proxy: TcpProxy;

beforeAll(async () => {
  feed = await serveNewsFeed(ITEMS);
  const server = new URL(SERVER_URL);
  proxy = await tcpProxy({ host: server.hostname, port: Number(server.port || 5432) });
  scenario = await openScenario({ databaseUrl: (database) => throughPort(database.url, proxy.port) });
});

afterAll(async () => {
  await scenario?.cleanup();
  await proxy?.close();
  await feed?.close();
});

describe("the database gone for 20 s while the pipeline runs", () => {
  it("fails and retries the jobs, says so on /readyz, and loses nothing", async () => {
    const { babelwire, database } = scenario;
    const context = () => babelwire.logTail();
    await babelwire.start();
    await addNewsSource(babelwire, feed.feedUrl);
    const atCut = await workInFlight(babelwire, database, 4);

    await proxy.cut();
    const cutAt = Date.now();
    const during = await until(
      "/readyz to name the database",
      async () => {
        const answer = await readiness(babelwire);
        return answer.status === 503 ? answer : undefined;
      },
      { last: context },
    );
    expect(during.body.checks).toEqual({ redis: "ok", database: "failed" });
    expect(during.body.error?.message).toContain("database");
    // Nothing moves while the database is away: the suite's own view of it, not through the proxy.
    const published = await publishedCount(database);
    await new Promise((done) => setTimeout(done, Math.max(0, OUTAGE_MS - (Date.now() - cutAt))));
    expect(await publishedCount(database)).toBe(published);
    expect((await readiness(babelwire)).status).toBe(503);
    await proxy.restore();

    await until(
      "/readyz to answer 200 again",
      async () => ((await readiness(babelwire)).status === 200 ? true : undefined),
      {
        last: context,
      },
    );
    await allPublished(babelwire, database, TRANSLATIONS, `when the database went away: ${JSON.stringify(atCut)}`);
    expect(atCut.published).toBeLessThan(TRANSLATIONS);
    await expectEachStoryPublishedOnce(babelwire, database, ITEMS);
    // Jobs that met the outage failed and were retried; none ran out of attempts. (A poll tick is
    // never retried by design, attempts 1: the next tick is its retry, so the poll queue is left out.)
    const attempts = await jobAttempts(babelwire);
    const retried = Object.values(attempts).reduce((sum, outcomes) => sum + (outcomes.retrying ?? 0), 0);
    expect(retried, JSON.stringify(attempts)).toBeGreaterThan(0);
    for (const [queue, outcomes] of Object.entries(attempts)) {
      if (queue !== "poll") expect(outcomes.failed ?? 0, queue).toBe(0);
    }
  });
});
