import { describe, expect, it } from "vitest";
import { medianGapSeconds, type PollPlanInput, planNextPoll } from "./next-poll.ts";

const now = new Date("2026-11-28T12:00:00Z");
const secondsAfter = (date: Date) => Math.round((date.getTime() - now.getTime()) / 1000);
const minutesAgo = (...minutes: number[]) => minutes.map((m) => new Date(now.getTime() - m * 60_000));
const noJitter = () => 0.5;
/** What the poller passes after a full read of a feed with items published at these times. */
const fromItems = (times: Date[]): Pick<PollPlanInput, "medianGapSeconds" | "newestItemAt"> => ({
  medianGapSeconds: medianGapSeconds(times),
  newestItemAt: new Date(Math.max(...times.map((time) => time.getTime()))),
});

describe("planNextPoll", () => {
  it("uses the configured interval until the items show a rhythm", () => {
    const plan = planNextPoll({ now, configuredSeconds: 300, consecutiveErrors: 0, ...fromItems(minutesAgo(5)) });
    expect(plan).toMatchObject({ intervalSeconds: 300, medianGapSeconds: null, quiet: false });
    expect(secondsAfter(plan.nextPollAt)).toBe(300);
  });

  it("polls a source publishing every 10 minutes every 5 minutes", () => {
    const plan = planNextPoll({
      now,
      configuredSeconds: 3600,
      consecutiveErrors: 0,
      ...fromItems(minutesAgo(2, 12, 22, 32, 42)),
    });
    expect(plan.medianGapSeconds).toBe(600);
    expect(plan.intervalSeconds).toBe(300);
  });

  it("keeps the interval between one minute and one hour", () => {
    const busy = planNextPoll({
      now,
      configuredSeconds: 300,
      consecutiveErrors: 0,
      ...fromItems(minutesAgo(0, 0.5, 1, 1.5)),
    });
    const sleepy = planNextPoll({
      now,
      configuredSeconds: 300,
      consecutiveErrors: 0,
      ...fromItems(minutesAgo(60, 1500, 3000, 4500)),
    });
    expect(busy.intervalSeconds).toBe(60);
    expect(sleepy.intervalSeconds).toBe(3600);
  });

  it("does not come back before the server's cache lifetime", () => {
    const plan = planNextPoll({ now, configuredSeconds: 300, consecutiveErrors: 0, cacheSeconds: 1800 });
    expect(secondsAfter(plan.nextPollAt)).toBe(1800);
  });

  it("flags a source that normally publishes often and has gone quiet for several of its gaps", () => {
    const quiet = planNextPoll({
      now,
      configuredSeconds: 300,
      consecutiveErrors: 0,
      ...fromItems(minutesAgo(60, 70, 80, 90)),
    });
    const lively = planNextPoll({
      now,
      configuredSeconds: 300,
      consecutiveErrors: 0,
      ...fromItems(minutesAgo(5, 15, 25, 35)),
    });
    expect(quiet.quiet).toBe(true);
    expect(lively.quiet).toBe(false);
  });

  it("backs off exponentially after errors, within ±20% jitter, capped at six hours", () => {
    const wait = (errors: number, random = noJitter) =>
      secondsAfter(planNextPoll({ now, configuredSeconds: 300, consecutiveErrors: errors, random }).nextPollAt);
    expect(wait(1)).toBe(300);
    expect(wait(3)).toBe(1200);
    expect(wait(3, () => 0)).toBe(960);
    expect(wait(3, () => 0.999)).toBeGreaterThan(1430);
    expect(wait(40)).toBe(6 * 3600);
  });

  it("waits at least as long as Retry-After asks", () => {
    const plan = planNextPoll({
      now,
      configuredSeconds: 300,
      consecutiveErrors: 1,
      retryAfterSeconds: 7200,
      random: noJitter,
    });
    expect(secondsAfter(plan.nextPollAt)).toBe(7200);
  });
});

describe("medianGapSeconds", () => {
  it("ignores order and needs three dated items", () => {
    expect(medianGapSeconds(minutesAgo(30, 10, 20))).toBe(600);
    expect(medianGapSeconds(minutesAgo(1, 2))).toBeNull();
  });
});
