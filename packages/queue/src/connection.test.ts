import { describe, expect, it } from "vitest";
import { connectRedis, reportEvery } from "./connection.ts";

describe("reportEvery", () => {
  it("passes the first error on, folds repeats within the interval, and counts them in the next report", async () => {
    const reports: Array<[string, number]> = [];
    const report = reportEvery((error, repeats) => reports.push([String(error), repeats]), 50);
    report("a");
    report("b");
    report("c");
    expect(reports).toEqual([["a", 0]]);
    await new Promise((done) => setTimeout(done, 80));
    report("d");
    expect(reports).toEqual([
      ["a", 0],
      ["d", 2],
    ]);
  });
});

describe("connectRedis", () => {
  it("reports a connection it cannot make, once, while it keeps retrying", async () => {
    const reports: Array<{ error: string; repeats: number }> = [];
    // Nothing listens on port 1: every reconnect fails with ECONNREFUSED.
    const redis = connectRedis("redis://127.0.0.1:1", {
      onError: (error, repeats) => reports.push({ error: String(error), repeats }),
    });
    try {
      for (let waited = 0; reports.length === 0 && waited < 10_000; waited += 50) {
        await new Promise((done) => setTimeout(done, 50));
      }
      // ioredis retries after 50 ms, 100 ms, …: several failures by now, one line.
      await new Promise((done) => setTimeout(done, 500));
      expect(reports).toHaveLength(1);
      expect(reports[0]?.error).toContain("ECONNREFUSED");
    } finally {
      redis.disconnect();
    }
  });
});
