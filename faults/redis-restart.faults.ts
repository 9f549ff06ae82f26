import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalServer, serveNewsFeed } from "./support/feed-server.ts";
import {
  addNewsSource,
  allPublished,
  expectEachStoryPublishedOnce,
  LANGUAGES,
  workInFlight,
} from "./support/pipeline.ts";
import { readiness } from "./support/readiness.ts";
import { openScenario, type Scenario } from "./support/scenario.ts";
import { until } from "./support/until.ts";

const ITEMS = 20;
const TRANSLATIONS = ITEMS * LANGUAGES.length;

let scenario: Scenario;
let feed: LocalServer & { feedUrl: string };

beforeAll(async () => {
  feed = await serveNewsFeed(ITEMS);
  scenario = await openScenario();
});

afterAll(async () => {
  await scenario?.cleanup();
  await feed?.close();
});

describe("Redis restarted (AOF on) while the pipeline runs", () => {
  it("reconnects by itself and loses nothing", async () => {
    const { babelwire, database, redis } = scenario;
    const context = () => babelwire.logTail();
    await babelwire.start();
    await addNewsSource(babelwire, feed.feedUrl);
    const atStop = await workInFlight(babelwire, database, 4);

    await redis.stop();
    // The outage is seen where operators look before Redis comes back.
    const during = await until(
      "/readyz to name Redis",
      async () => {
        const answer = await readiness(babelwire);
        return answer.status === 503 ? answer : undefined;
      },
      { last: context },
    );
    expect(during.body.checks).toEqual({ redis: "failed", database: "ok" });
    expect(during.body.error?.message).toContain("redis");
    await redis.start();

    await until(
      "/readyz to answer 200 again",
      async () => ((await readiness(babelwire)).status === 200 ? true : undefined),
      {
        last: context,
      },
    );
    await allPublished(babelwire, database, TRANSLATIONS, `when Redis stopped: ${JSON.stringify(atStop)}`);
    expect(atStop.published).toBeLessThan(TRANSLATIONS);
    await expectEachStoryPublishedOnce(babelwire, database, ITEMS);
  });
});
