import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import { connectRedis, connectRequestRedis, type RedisClient } from "@babelwire/queue";
import { clearQueuePrefix, testConfig } from "@babelwire/runtime/testing";
import { type FeedKeyParts, feedCacheKey, invalidateFeeds } from "@babelwire/syndicate";

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFeedCache, type RenderFeed } from "./feed-cache.ts";
import { parseFeed } from "./rendered-feed.ts";

let redis: RedisClient;
const prefix = testConfig().QUEUE_PREFIX;
const parts: FeedKeyParts = { lang: "es", format: "rss", limit: 50 };

beforeAll(() => {
  redis = connectRedis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
});

afterAll(async () => {
  await clearQueuePrefix(redis, prefix);
  await redis.quit();
});

/** Waits (up to 5 s) for a condition only a connection's events can make true. */
async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 20) {
    if (waited > 5000) throw new Error("timed out");
    await new Promise((done) => setTimeout(done, 20));
  }
}

/** A render that counts its calls and returns a new body each time, as the database would after a change. */
function counting(): RenderFeed & { calls: number } {
  const render = async () => {
    render.calls += 1;
    return { body: `<rss>${render.calls}</rss>`, lastModified: new Date("2026-11-07T12:30:00.750Z") };
  };
  render.calls = 0;
  return render;
}

describe("createFeedCache on real Redis", () => {
  it("renders once and serves the same body and validators from Redis after that", async () => {
    const cache = createFeedCache({ redis, prefix });
    const render = counting();
    const first = await cache.get({ ...parts, lang: "fr" }, render);
    const second = await cache.get({ ...parts, lang: "fr" }, render);
    expect(render.calls).toBe(1);
    expect(second).toEqual(first);
    expect(first.body.toString()).toBe("<rss>1</rss>");
    expect(first.etag).toMatch(/^"[\w-]{27}"$/);
    expect(first.lastModified.toISOString()).toBe("2026-11-07T12:30:00.000Z");
    // Another API process has nothing in memory: it reads the same bytes and validators from Redis.
    const elsewhere = await createFeedCache({ redis, prefix }).get({ ...parts, lang: "fr" }, render);
    expect(render.calls).toBe(1);
    expect(elsewhere).toEqual(first);
  });

  it("keeps bytes beyond ASCII and a body holding newlines intact through Redis", async () => {
    const body = "<rss>\n<title>Київ — «Політика»</title>\n</rss>";
    const render = async () => ({ body, lastModified: new Date("2026-11-07T12:30:00Z") });
    await createFeedCache({ redis, prefix }).get({ ...parts, lang: "uk" }, render);
    const read = await createFeedCache({ redis, prefix }).get({ ...parts, lang: "uk" }, async () => {
      throw new Error("should have come from Redis");
    });
    expect(read.body.toString("utf8")).toBe(body);
  });

  it("renders again after the language's generation is bumped, and only for that language", async () => {
    const cache = createFeedCache({ redis, prefix });
    const render = counting();
    const catalan = counting();
    await cache.get({ ...parts, lang: "de" }, render);
    await cache.get({ ...parts, lang: "ca" }, catalan);
    await invalidateFeeds(redis, prefix, "de");
    expect((await cache.get({ ...parts, lang: "de" }, render)).body.toString()).toBe("<rss>2</rss>");
    expect((await cache.get({ ...parts, lang: "ca" }, catalan)).body.toString()).toBe("<rss>1</rss>");
    expect([render.calls, catalan.calls]).toEqual([2, 1]);
  });

  it("keeps each format and filter apart", async () => {
    const cache = createFeedCache({ redis, prefix });
    const render = counting();
    const variants: FeedKeyParts[] = [
      { ...parts, lang: "it" },
      { ...parts, lang: "it", format: "atom" },
      { ...parts, lang: "it", limit: 10 },
      { ...parts, lang: "it", category: "Política" },
      { ...parts, lang: "it", source: "0b7e3c9a-8d1f-4f0e-9a77-2a4c2f9e1d00" },
    ];
    const bodies = [];
    for (const variant of variants) bodies.push((await cache.get(variant, render)).body.toString());
    expect(new Set(bodies).size).toBe(variants.length);
    expect(render.calls).toBe(variants.length);
  });

  it("stores entries with a TTL of ten minutes as a safety net", async () => {
    const cache = createFeedCache({ redis, prefix });
    await cache.get({ ...parts, lang: "pt" }, counting());
    const ttl = await redis.ttl(feedCacheKey(prefix, { ...parts, lang: "pt" }, 0));
    expect(ttl).toBeGreaterThan(590);
    expect(ttl).toBeLessThanOrEqual(600);
  });

  it("treats a value it cannot read as a miss and overwrites it", async () => {
    const cache = createFeedCache({ redis, prefix });
    const key = feedCacheKey(prefix, { ...parts, lang: "nl" }, 0);
    await redis.set(key, '{"body": 42}');
    const render = counting();
    expect((await cache.get({ ...parts, lang: "nl" }, render)).body.toString()).toBe("<rss>1</rss>");
    expect(parseFeed((await redis.getBuffer(key)) ?? Buffer.alloc(0))?.body.toString()).toBe("<rss>1</rss>");
  });

  it("serves the feed uncached, and says so, when Redis does not answer", async () => {
    // Nothing listens on port 1: a request-path connection refuses commands at once.
    const unreachable = connectRequestRedis("redis://127.0.0.1:1", { timeoutMs: 100 });
    const failures: unknown[] = [];
    try {
      const cache = createFeedCache({
        redis: unreachable,
        prefix,
        onError: (error) => failures.push(error),
      });
      const render = counting();
      const feed = await cache.get(parts, render);
      expect(feed.body.toString()).toBe("<rss>1</rss>");
      expect(failures).toHaveLength(1);
      expect(String(failures[0])).toContain("enableOfflineQueue options is false");
    } finally {
      unreachable.disconnect();
    }
  });

  it("serves the feed uncached when a connected Redis stops answering, after the command timeout", async () => {
    // A server that speaks just enough RESP to pass ioredis's ready check (INFO), then answers
    // nothing else: a Redis stuck mid-request, which no connection error would reveal.
    const stuck = createServer((socket) => {
      socket.on("data", (data) => {
        // Each command is a RESP array: `*<n>` then its parts. ioredis names itself (CLIENT
        // SETINFO) and asks INFO before it is ready; GET and SET get no answer at all.
        for (const command of data
          .toString()
          .split(/^\*\d+\r\n/m)
          .filter(Boolean)) {
          if (/^\$\d+\r\ninfo\r\n/i.test(command)) {
            const body = "# Server\r\nredis_version:7.0.15\r\nloading:0\r\n";
            socket.write(`$${Buffer.byteLength(body)}\r\n${body}\r\n`);
          } else if (/^\$\d+\r\nclient\r\n/i.test(command)) socket.write("+OK\r\n");
        }
      });
    });
    await new Promise<void>((done) => stuck.listen(0, "127.0.0.1", done));
    const { port } = stuck.address() as AddressInfo;
    const slow = connectRequestRedis(`redis://127.0.0.1:${port}`, { timeoutMs: 100 });
    const failures: unknown[] = [];
    try {
      await until(() => slow.status === "ready");
      const cache = createFeedCache({ redis: slow, prefix, onError: (error) => failures.push(error) });
      const render = counting();
      expect((await cache.get({ ...parts, lang: "sv" }, render)).body.toString()).toBe("<rss>1</rss>");
      expect(String(failures[0])).toContain("Command timed out");
    } finally {
      slow.disconnect();
      await new Promise((done) => stuck.close(done));
    }
  });
});
