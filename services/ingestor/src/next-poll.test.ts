import { describe, expect, it } from "vitest";
import { nextPollAt } from "./next-poll.ts";

const now = new Date("2026-11-28T12:00:00Z");
const secondsAfter = (date: Date) => (date.getTime() - now.getTime()) / 1000;

describe("nextPollAt", () => {
  it("waits one interval after a success", () => {
    expect(secondsAfter(nextPollAt(now, 300, 0))).toBe(300);
  });

  it("honours a feed TTL longer than the interval", () => {
    expect(secondsAfter(nextPollAt(now, 300, 0, { ttlMinutes: 30 }))).toBe(1800);
  });

  it("backs off exponentially after errors, within ±20% jitter", () => {
    const noJitter = () => 0.5;
    expect(secondsAfter(nextPollAt(now, 300, 1, { random: noJitter }))).toBe(300);
    expect(secondsAfter(nextPollAt(now, 300, 3, { random: noJitter }))).toBe(1200);
    const low = secondsAfter(nextPollAt(now, 300, 3, { random: () => 0 }));
    const high = secondsAfter(nextPollAt(now, 300, 3, { random: () => 0.999 }));
    expect(low).toBeCloseTo(960, 0);
    expect(high).toBeGreaterThan(1430);
  });

  it("never waits more than six hours, however long a source fails", () => {
    expect(secondsAfter(nextPollAt(now, 3600, 40, { random: () => 0.5 }))).toBe(6 * 3600);
  });
});
