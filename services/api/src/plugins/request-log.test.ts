import { Writable } from "node:stream";
import { createToken } from "@babelwire/db";
import { createActivity, createLogger, openRuntime, type Runtime } from "@babelwire/runtime";
import { clearQueuePrefix, testConfig } from "@babelwire/runtime/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../app.ts";

let runtime: Runtime;

beforeAll(async () => {
  runtime = await openRuntime(testConfig(), "request-log-test");
});

afterAll(async () => {
  await clearQueuePrefix(runtime.redis, runtime.config.QUEUE_PREFIX);
  await runtime?.close();
});

/** The production logger at `level`, writing JSON lines where the test reads them. */
function capture(level: string) {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: createLogger(level, "api", stream) };
}

describe("request logging", () => {
  it("writes nothing per request at info, and one summary line for the minute", async () => {
    const { lines, logger } = capture("info");
    const activity = createActivity(logger);
    const app = await buildApp({ ...runtime, logger, activity });
    try {
      const { token } = await createToken(runtime.db, { role: "admin" });
      for (const url of ["/healthz", "/healthz", "/v1/sources", "/nowhere"]) {
        await app.inject({ method: "GET", url, headers: { authorization: `Bearer ${token}` } });
      }
      expect(lines).toEqual([]);
      activity.flush();
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({
        level: 30,
        msg: "activity in the last minute",
        requests: { total: 4, "2xx": 3, "4xx": 1 },
      });
    } finally {
      activity.stop();
      await app.close();
    }
  });

  it("writes one line per request at debug, with its status and duration and no token", async () => {
    const { lines, logger } = capture("debug");
    const app = await buildApp({ ...runtime, logger });
    try {
      await app.inject({ method: "GET", url: "/v1/feeds/es.rss?token=bw_secretInTheQuery000000000" });
      const requestLines = lines.filter((line) => line.msg === "request completed");
      expect(requestLines).toHaveLength(1);
      expect(requestLines[0]).toMatchObject({ level: 20, res: { statusCode: 401 }, ms: expect.any(Number) });
      expect(JSON.stringify(lines)).not.toContain("bw_secretInTheQuery");
    } finally {
      await app.close();
    }
  });
});
