import { randomBytes, randomUUID } from "node:crypto";
import { parseConfig } from "@babelwire/config";
import {
  checkRedis,
  connectRedis,
  createQueues,
  isCluster,
  type RedisClient,
  redisTarget,
  startWorkers,
} from "@babelwire/queue";
import { clearQueuePrefix } from "@babelwire/runtime/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { until } from "../faults/support/until.ts";
import { createSharedLimits } from "../packages/translate/src/engines/resilience/shared-limits.ts";
import { createFeedCache } from "../services/api/src/feed-cache/feed-cache.ts";
import { createTokenLeases } from "../services/api/src/rate-limit/token-leases.ts";
import { createSessionStore } from "../services/api/src/sessions/browser-session.ts";
import { CLUSTER_NODES } from "./support/redis-cluster.ts";

// Every script and multi-key command Babelwire sends, run on a real Redis Cluster through the
// client every process builds from REDIS_CLUSTER_NODES. A key outside the prefix's slot would fail
// here with CROSSSLOT (the last test shows the cluster does refuse that).

const config = parseConfig({
  REDIS_CLUSTER_NODES: CLUSTER_NODES,
  QUEUE_PREFIX: `{bwcluster-${randomBytes(4).toString("hex")}}`,
});
const prefix = config.QUEUE_PREFIX;
let redis: RedisClient;

beforeAll(async () => {
  redis = connectRedis(redisTarget(config));
  await checkRedis(redis);
});

afterAll(async () => {
  await clearQueuePrefix(redis, prefix);
  await redis.quit();
});

describe("REDIS_CLUSTER_NODES", () => {
  it("gives an ioredis Cluster client that sees the three masters", () => {
    expect(isCluster(redis)).toBe(true);
    if (isCluster(redis)) expect(redis.nodes("master")).toHaveLength(3);
  });
});

describe("scripts and multi-key commands on a Redis Cluster", () => {
  it("leases a partner's requests from one window (rate-limit script)", async () => {
    const leases = createTokenLeases({ redis, prefix, limit: 10, windowSeconds: 60, batch: 2 });
    const token = randomUUID();
    expect((await leases.hit(token)).count).toBe(1);
    const second = leases.take(token) ?? (await leases.hit(token));
    expect(second.count).toBe(2);
    expect(second.resetMs).toBeGreaterThan(0);
  });

  it("shares an engine's bucket and opening (shared-limit scripts)", async () => {
    const limits = createSharedLimits(
      { eval: (script, keys, args) => redis.eval(script, keys.length, ...keys, ...args) },
      prefix,
      "deepl",
    );
    expect(await limits.take(1)).toBe(0);
    expect(await limits.take(1)).toBeGreaterThan(0);
    await limits.publishOpening(60_000, "ENGINE_QUOTA", "quota exceeded");
    expect(await limits.opening()).toMatchObject({ code: "ENGINE_QUOTA", message: "quota exceeded" });
  });

  it("stores a rendered feed and finds it again from another process's cache", async () => {
    let renders = 0;
    const render = async () => {
      renders++;
      return { body: "<rss>cluster</rss>", lastModified: new Date("2026-12-01T10:00:00Z") };
    };
    const parts = { lang: "es", format: "rss" as const, limit: 50 };
    const errors: unknown[] = [];
    await createFeedCache({ redis, prefix, onError: (error) => errors.push(error) }).get(parts, render);
    const again = await createFeedCache({ redis, prefix }).get(parts, render);
    expect(errors).toEqual([]);
    expect(renders).toBe(1);
    expect(again.body.toString()).toBe("<rss>cluster</rss>");
  });

  it("keeps a dashboard session until it ends", async () => {
    const sessions = createSessionStore(redis, prefix);
    const id = await sessions.create("token-row-1");
    expect(await sessions.tokenIdOf(id)).toBe("token-row-1");
    await sessions.end(id);
    expect(await sessions.tokenIdOf(id)).toBeNull();
  });

  it("runs jobs, lists and retries failures, counts and lists workers through BullMQ", async () => {
    const queues = createQueues(redis, prefix);
    let fail = true;
    const ran: string[] = [];
    const workers = startWorkers(
      {
        // A poll job has one attempt: a failure is final at once.
        poll: async (payload) => {
          ran.push(payload.sourceId);
          if (fail) throw new Error("FEED_HTTP_500: not yet");
        },
      },
      { connection: redis, prefix, logger: { debug: () => {}, error: () => {} } },
    );
    try {
      const sourceId = randomUUID();
      await queues.enqueuePoll({ sourceId });
      const failed = await until("the job to fail for good", async () => {
        const list = await queues.listFailed("poll", 10);
        return list.length === 1 ? list : undefined;
      });
      expect(failed[0]).toMatchObject({ code: "FEED_HTTP_500", data: { sourceId } });
      const status = await queues.status("poll");
      expect(status.failed).toBe(1);
      expect(status.workers.map((worker) => worker.pid)).toContain(process.pid);

      fail = false;
      expect(await queues.retryFailed("poll")).toBe(1);
      const done = await until("the retried job to complete", async () => {
        const now = await queues.status("poll");
        return now.completed === 1 ? now : undefined;
      });
      expect(done).toMatchObject({ failed: 0, completed: 1 });
      expect(ran.filter((id) => id === sourceId).length).toBeGreaterThanOrEqual(2);
    } finally {
      await workers.close();
      await queues.close();
    }
  });

  it("refuses a script whose keys lie in two slots, which is what the prefix's hash tag prevents", async () => {
    await expect(redis.eval("return redis.call('MGET', KEYS[1], KEYS[2])", 2, "bw-a", "bw-b")).rejects.toThrow(
      /CROSSSLOT|slot/i,
    );
  });
});
