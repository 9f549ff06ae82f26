import { describe, expect, it } from "vitest";
import { cappedRetryDelayMs, JOB_CATALOG, retrySpanMs } from "./catalog.ts";

const HOUR = 3_600_000;

describe("job catalog retry schedules", () => {
  it("doubles the wait from the base and never waits longer than the cap", () => {
    const waits = [1, 2, 3, 6, 7, 8, 31].map((made) => cappedRetryDelayMs(60_000, HOUR, made));
    expect(waits).toEqual([60_000, 120_000, 240_000, 1_920_000, HOUR, HOUR, HOUR]);
  });

  it("keeps trying a webhook for at least 24 hours, at most an hour apart", () => {
    expect(JOB_CATALOG.deliver.attempts).toBe(32);
    // 1 + 2 + 4 + 8 + 16 + 32 minutes, then 25 hourly waits: 26 h 3 min.
    expect(retrySpanMs("deliver")).toBe(93_780_000);
    expect(retrySpanMs("deliver")).toBeGreaterThanOrEqual(24 * HOUR);
  });

  it("spans what BullMQ's uncapped exponential backoff does for the other queues", () => {
    expect(retrySpanMs("extract")).toBe(5_000 + 10_000);
    expect(retrySpanMs("poll")).toBe(0);
  });
});
