import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { QUEUE_NAMES } from "./catalog.ts";
import { connectRedis } from "./connection.ts";
import { createQueues, type Queues } from "./queues.ts";
import { assertEveryQueueHandled, QUEUE_WITHOUT_HANDLER, startWorkers } from "./workers.ts";

const redis = connectRedis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
const prefix = `{bwtest-${randomBytes(4).toString("hex")}}`;
let queues: Queues;

beforeAll(() => {
  queues = createQueues(redis, prefix);
});

afterAll(async () => {
  await queues.close();
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

describe("job log lines", () => {
  it("writes one debug line when a job starts and one when it ends, with its duration, ids and the request id", async () => {
    const lines: Array<{ level: string; fields: Record<string, unknown>; message: string }> = [];
    const logger = {
      debug: (fields: Record<string, unknown>, message: string) => lines.push({ level: "debug", fields, message }),
      error: (fields: Record<string, unknown>, message: string) => lines.push({ level: "error", fields, message }),
    };
    const outcomes: string[] = [];
    let done!: () => void;
    const finished = new Promise<void>((resolve) => {
      done = resolve;
    });
    const workers = startWorkers(
      { translate: async () => ({ segments: 3 }) },
      {
        connection: redis,
        prefix,
        logger,
        onJobDone: (queue, outcome) => {
          outcomes.push(`${queue}:${outcome}`);
          done();
        },
      },
    );
    const articleId = randomUUID();
    try {
      await queues.enqueueTranslate({ articleId, articleVersion: 2, lang: "ca", requestId: "req-42" });
      await finished;
    } finally {
      await workers.close();
    }
    const jobLines = lines.filter((line) => line.message.startsWith("job "));
    expect(jobLines.map((line) => line.message)).toEqual(["job started", "job finished"]);
    // A poll tick per source a minute: at info they would bury everything else.
    expect(jobLines.map((line) => line.level)).toEqual(["debug", "debug"]);
    const ids = { queue: "translate", articleId, articleVersion: 2, lang: "ca", requestId: "req-42" };
    expect(jobLines[0]?.fields).toMatchObject({ ...ids, jobId: expect.stringContaining(articleId), attempt: 1 });
    expect(jobLines[1]?.fields).toMatchObject({ ...ids, ms: expect.any(Number) });
    expect(outcomes).toEqual(["translate:completed"]);
  });
});

describe("assertEveryQueueHandled", () => {
  const handler = async () => undefined;
  const every = Object.fromEntries(QUEUE_NAMES.map((queue) => [queue, handler]));

  it("passes when every queue of the catalog has a handler, or every queue asked for", () => {
    expect(() => assertEveryQueueHandled(every)).not.toThrow();
    expect(() => assertEveryQueueHandled({ translate: handler }, ["translate"])).not.toThrow();
  });

  it("refuses a start that leaves a queue without a handler, naming each one", () => {
    const { deliver: _deliver, publish: _publish, ...rest } = every;
    expect(() => assertEveryQueueHandled(rest)).toThrow(
      expect.objectContaining({
        code: QUEUE_WITHOUT_HANDLER,
        message: expect.stringMatching(/publish, deliver|deliver, publish/),
      }),
    );
  });
});
