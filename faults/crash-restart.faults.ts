import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalServer, serveNewsFeed } from "./support/feed-server.ts";
import {
  addNewsSource,
  allPublished,
  expectEachStoryPublishedOnce,
  LANGUAGES,
  workInFlight,
} from "./support/pipeline.ts";
import { openScenario, type Scenario } from "./support/scenario.ts";
import { until } from "./support/until.ts";
import {
  addWebhookPartner,
  expectEachDeliveryOnce,
  pendingDeliveries,
  receiveWebhooks,
  type WebhookReceiver,
} from "./support/webhooks.ts";

const ITEMS = 30;
const TRANSLATIONS = ITEMS * LANGUAGES.length;

let scenario: Scenario;
let feed: LocalServer & { feedUrl: string };
let receiver: WebhookReceiver;

beforeAll(async () => {
  feed = await serveNewsFeed(ITEMS);
  receiver = await receiveWebhooks();
  scenario = await openScenario();
});

afterAll(async () => {
  await scenario?.cleanup();
  await feed?.close();
  await receiver?.close();
});

describe("the all-in-one process killed with SIGKILL while translating", () => {
  it("publishes every story exactly once per language after a restart", async () => {
    const { babelwire, database } = scenario;
    await babelwire.start();
    await addWebhookPartner(babelwire, `${receiver.url}/hook`);
    await addNewsSource(babelwire, feed.feedUrl);

    const atKill = await workInFlight(babelwire, database, 6);
    await babelwire.kill("SIGKILL");
    expect(atKill.published).toBeLessThan(TRANSLATIONS);

    await babelwire.start();
    await allPublished(babelwire, database, TRANSLATIONS, `at the kill: ${JSON.stringify(atKill)}`);
    await expectEachStoryPublishedOnce(babelwire, database, ITEMS);
  });

  it("sends each webhook under one delivery id, every one delivered", async () => {
    const { babelwire, database } = scenario;
    await until("every webhook delivered", async () => ((await pendingDeliveries(database)) === 0 ? true : undefined), {
      timeoutMs: 120_000,
      everyMs: 1000,
      last: () => babelwire.logTail(),
    });
    await expectEachDeliveryOnce(database, receiver, TRANSLATIONS);
  });
});
