import { randomBytes, randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { CodedError, type JobOutcome } from "@babelwire/core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { QueueName } from "./catalog.ts";
import type { RedisClient } from "./connection.ts";
import { connectRedis } from "./connection.ts";
import { failureCode } from "./failed-jobs.ts";
import type { QueueCounts } from "./queue-status.ts";
import { createQueues, type Queues } from "./queues.ts";
import { startWorkers, type Workers } from "./workers.ts";

let redis: RedisClient;
let prefix: string;
let queues: Queues;
let workers: Workers | undefined;
const silent = { debug: () => {}, error: () => {} };

beforeAll(() => {
  redis = connectRedis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
  prefix = `{bwtest-queue-${randomBytes(4).toString("hex")}}`;
  queues = createQueues(redis, prefix);
});

afterEach(async () => {
  await workers?.close();
  workers = undefined;
});

afterAll(async () => {
  await queues.close();
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 500);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== "0");
  await redis.quit();
});

async function until(name: QueueName, done: (status: QueueCounts) => boolean): Promise<QueueCounts> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const status = await queues.status(name);
    if (done(status)) return status;
    if (Date.now() > deadline) throw new Error(`queue ${name} never reached the state: ${JSON.stringify(status)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("failed jobs", () => {
  it("lists failures with their error code and payload, and retry sends them back with fresh attempts", async () => {
    const articleId = randomUUID();
    const outcomes: Array<[string, JobOutcome]> = [];
    let fail = true;
    workers = startWorkers(
      {
        extract: async () => {
          if (fail) throw new CodedError("EXTRACT_FAILED", "the page is gone", { permanent: true });
        },
      },
      { connection: redis, prefix, logger: silent, onJobDone: (queue, outcome) => outcomes.push([queue, outcome]) },
    );
    await queues.enqueueExtract({ articleId, articleVersion: 1 });
    await until("extract", (status) => status.failed === 1);
    const [failed] = await queues.listFailed("extract", 10);
    expect(failed).toMatchObject({
      name: "extract",
      code: "EXTRACT_FAILED",
      failedReason: "EXTRACT_FAILED: the page is gone",
      data: { articleId, articleVersion: 1 },
      attemptsMade: 1,
    });
    expect(Date.parse(failed?.finishedOn ?? "")).toBeGreaterThan(Date.now() - 60_000);
    expect(outcomes).toEqual([["extract", "failed"]]);

    fail = false;
    expect(await queues.retryFailed("extract")).toBe(1);
    const after = await until("extract", (status) => status.completed === 1);
    expect(after.failed).toBe(0);
    expect(after.jobsPerMinute).toBe(1);
    expect(outcomes.at(-1)).toEqual(["extract", "completed"]);
    expect(await queues.retryFailed("extract")).toBe(0);
  });

  it("keeps the code of a transient CodedError in the failed reason once attempts run out", async () => {
    workers = startWorkers(
      {
        poll: async () => {
          throw new CodedError("FEED_HTTP_500", "the agency answered 500");
        },
      },
      { connection: redis, prefix, logger: silent },
    );
    const sourceId = randomUUID();
    await queues.enqueuePoll({ sourceId });
    await until("poll", (status) => status.failed === 1);
    const [failed] = await queues.listFailed("poll", 1);
    expect(failed).toMatchObject({ code: "FEED_HTTP_500", data: { sourceId } });
  });
});

describe("queue status", () => {
  it("pauses and resumes a queue, and tells how long the oldest waiting job has waited", async () => {
    await queues.pause("summarize");
    expect((await queues.status("summarize")).paused).toBe(true);
    await queues.enqueueSummarize({ articleId: randomUUID(), articleVersion: 1 });
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await queues.enqueueSummarize({ articleId: randomUUID(), articleVersion: 1 });
    const seen: string[] = [];
    workers = startWorkers(
      {
        summarize: async (payload) => {
          seen.push(payload.articleId);
        },
      },
      { connection: redis, prefix, logger: silent },
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const paused = await queues.status("summarize");
    expect(seen).toEqual([]);
    expect(paused.waiting).toBe(2);
    expect(paused.oldestWaitingSeconds).toBeGreaterThanOrEqual(1);
    await queues.resume("summarize");
    const resumed = await until("summarize", (status) => status.completed === 2);
    expect(resumed).toMatchObject({ paused: false, waiting: 0, oldestWaitingSeconds: 0, jobsPerMinute: 2 });
  });

  it("lists each live worker process per queue and forgets it when it stops", async () => {
    workers = startWorkers({ publish: async () => {} }, { connection: redis, prefix, logger: silent });
    const status = await until("publish", (s) => s.workers.length > 0);
    expect(status.workers).toEqual([{ host: hostname(), pid: process.pid, lastSeen: expect.any(String) }]);
    expect(Date.now() - Date.parse(status.workers[0]?.lastSeen ?? "")).toBeLessThan(15_000);
    expect((await queues.status("translate")).workers).toEqual([]);
    await workers.close();
    workers = undefined;
    expect((await queues.status("publish")).workers).toEqual([]);
  });

  it("drops a worker whose heartbeat expired, as after a crash", async () => {
    const key = `${prefix}:heartbeat:publish:crashed-host:4242`;
    const beat = { host: "crashed-host", pid: 4242, lastSeen: new Date().toISOString() };
    await redis.set(key, JSON.stringify(beat), "PX", 100);
    await redis.sadd(`${prefix}:heartbeats:publish`, key);
    expect((await queues.status("publish")).workers).toEqual([beat]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await queues.status("publish")).workers).toEqual([]);
    expect(await redis.smembers(`${prefix}:heartbeats:publish`)).toEqual([]);
  });
});

describe("failureCode", () => {
  it.each([
    ["FEED_HTTP_500: the agency answered 500", "FEED_HTTP_500"],
    ["JOB_PAYLOAD_INVALID: bad", "JOB_PAYLOAD_INVALID"],
    ["illegal_transition: from published", "illegal_transition"],
    ["TIMEOUT: slow", "TIMEOUT"],
    ["Error: something broke", null],
    ["connect ECONNREFUSED 127.0.0.1:6379", null],
    [undefined, null],
  ])("reads the code of %s as %s", (reason, code) => {
    expect(failureCode(reason)).toBe(code);
  });
});
