import { connectRedis } from "@babelwire/queue";
import { testConfig } from "@babelwire/runtime/testing";
import { announceFeedChange } from "@babelwire/syndicate";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChangeWatch, createChangeListener } from "./change-listener.ts";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = testConfig().QUEUE_PREFIX;
let redis: Redis;

beforeAll(() => {
  redis = connectRedis(REDIS_URL) as Redis;
});

afterAll(async () => {
  await redis.quit();
});

/** Waits out the reads a new subscription owes, until a wait runs to its deadline. */
async function settled(watch: ChangeWatch): Promise<void> {
  while ((await watch.next(Date.now() + 200)) !== "deadline") {}
}

/** A listener and one held request's watch of `lang`, past the reads its new subscription owes. */
async function watching(lang: string, test: (watch: ChangeWatch) => Promise<void>): Promise<void> {
  const listener = createChangeListener({ redis, prefix, rereadsMs: [0] });
  const watch = listener.watch(lang);
  try {
    await settled(watch);
    await test(watch);
  } finally {
    watch.close();
    await listener.close();
  }
}

/** The server-side id of the listener's subscriber connection, by the name it is given. */
async function subscriberId(): Promise<string> {
  const clients = String(await redis.client("LIST"));
  const line = clients.split("\n").find((entry) => entry.includes(` name=${prefix}:feedchanges-subscriber `));
  const id = line?.match(/^id=(\d+)/)?.[1];
  if (!id) throw new Error("no feedchanges subscriber connection");
  return id;
}

describe("createChangeListener on real Redis", () => {
  it("wakes a held request when its language's change is announced", async () => {
    await watching("es", async (watch) => {
      const woken = watch.next(Date.now() + 10_000);
      await announceFeedChange(redis, prefix, "es");
      expect(await woken).toBe("changed");
    });
  });

  it("makes held requests read again once a killed subscription is back, since changes were missed meanwhile", async () => {
    await watching("ca", async (watch) => {
      const id = await subscriberId();
      const woken = watch.next(Date.now() + 10_000);
      await redis.client("KILL", "ID", id);
      // Announced while no one listens: the push is lost, the read after resubscribing is not.
      await announceFeedChange(redis, prefix, "ca");
      expect(await woken).toBe("settled");
      expect(await subscriberId()).not.toBe(id);
    });
  });

  it("answers held requests at once when closing, instead of holding them to their deadline", async () => {
    const listener = createChangeListener({ redis, prefix, rereadsMs: [0] });
    const watch = listener.watch("eu");
    await settled(watch);
    const woken = watch.next(Date.now() + 30_000);
    await listener.close();
    expect(await woken).toBe("closing");
  });
});
