import { once } from "node:events";
import { connectRedis } from "@babelwire/queue";
import { clearQueuePrefix, testConfig } from "@babelwire/runtime/testing";
import { feedGenerationKey, invalidateFeeds } from "@babelwire/syndicate";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FeedGenerations, watchFeedGenerations } from "./feed-generations.ts";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
let redis: Redis;
const prefix = testConfig().QUEUE_PREFIX;

beforeAll(() => {
  redis = connectRedis(REDIS_URL) as Redis;
});

afterAll(async () => {
  await clearQueuePrefix(redis, prefix);
  await redis.quit();
});

async function until(probe: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 5));
  }
}

/** A watcher on a subscriber connection of its own, with that connection's server-side id. */
async function watcher(): Promise<{ generations: FeedGenerations; subscriber: Redis; id: number }> {
  const subscriber = connectRedis(REDIS_URL) as Redis;
  const id = Number(await subscriber.client("ID"));
  const generations = watchFeedGenerations({ redis, subscriber, prefix });
  await until(() => generations.live, "the subscription");
  return { generations, subscriber, id };
}

describe("watchFeedGenerations on real Redis", () => {
  it("keeps a read generation and takes each announced bump without reading again", async () => {
    const { generations } = await watcher();
    try {
      await invalidateFeeds(redis, prefix, "es");
      expect(generations.known("es")).toBeUndefined();
      const read = await generations.read("es");
      expect(generations.known("es")).toBe(read);
      const bumped = await invalidateFeeds(redis, prefix, "es");
      await until(() => generations.known("es") === bumped, "the announced bump");
      // A language never read is learned from its first announcement.
      const german = await invalidateFeeds(redis, prefix, "de");
      await until(() => generations.known("de") === german, "the German bump");
    } finally {
      await generations.close();
    }
  });

  it("knows its own bump at once, without waiting for the announcement", async () => {
    const { generations } = await watcher();
    try {
      await generations.read("pt");
      const bumped = await generations.bump("pt");
      expect(generations.known("pt")).toBe(bumped);
      expect(Number(await redis.get(feedGenerationKey(prefix, "pt")))).toBe(bumped);
    } finally {
      await generations.close();
    }
  });

  it("knows nothing while the subscription is down and reads every time instead", async () => {
    const { generations, subscriber } = await watcher();
    try {
      await generations.read("fr");
      const closed = once(subscriber, "close");
      subscriber.disconnect(); // no reconnection: the subscription stays down
      await closed;
      expect(generations.live).toBe(false);
      expect(generations.known("fr")).toBeUndefined();
      // A bump nobody hears: the next read still sees it.
      const bumped = await redis.incr(feedGenerationKey(prefix, "fr"));
      expect(generations.known("fr")).toBeUndefined();
      expect(await generations.read("fr")).toBe(bumped);
      expect(generations.known("fr")).toBeUndefined();
    } finally {
      await generations.close();
    }
  });

  it("forgets what it knew when its connection is killed, so a bump lost meanwhile is read after", async () => {
    const { generations, subscriber, id } = await watcher();
    try {
      const before = await generations.read("it");
      expect(generations.known("it")).toBe(before);
      const closed = once(subscriber, "close");
      await redis.client("KILL", "ID", String(id));
      await closed;
      // Bumped without an announcement: what a process misses while its subscription is down.
      const lost = await redis.incr(feedGenerationKey(prefix, "it"));
      expect(generations.known("it")).toBeUndefined();
      // ioredis reconnects and the watcher subscribes again, starting from nothing.
      await until(() => generations.live, "the subscription to come back");
      expect(generations.known("it")).toBeUndefined();
      expect(await generations.read("it")).toBe(lost);
      const announced = await invalidateFeeds(redis, prefix, "it");
      await until(() => generations.known("it") === announced, "the bump after resubscribing");
    } finally {
      await generations.close();
    }
  });
});
