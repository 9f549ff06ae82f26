import { describe, expect, it } from "vitest";
import { countingStrings, decimalString, nearbyDecimalStrings } from "./decimal-string.ts";

describe("decimalString", () => {
  it("writes integers as String does, across the thousands it joins", () => {
    for (const n of [0, 7, 42, 999, 1000, 1001, 1007, 10_070, 999_999, 1_000_000, 12_003_004, 2 ** 40 + 5]) {
      expect(decimalString(n)).toBe(String(n));
    }
    for (let n = 0; n < 20_000; n += 7) expect(decimalString(n)).toBe(String(n));
  });

  it("leaves anything but a non-negative safe integer to String", () => {
    for (const n of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60]) expect(decimalString(n)).toBe(String(n));
  });
});

describe("countingStrings", () => {
  it("counts from 0 after the prefix, as String writes each number, across the thousands", () => {
    const next = countingStrings("a1b2-");
    for (let n = 0; n < 1_203_000; n++) {
      const made = next();
      if (n % 997 === 0 || n % 1000 < 2 || n % 1000 > 997) expect(made).toBe(`a1b2-${n}`);
    }
  });
});

describe("nearbyDecimalStrings", () => {
  it("writes each number as String does, counting down across the thousands, repeating and jumping", () => {
    const write = nearbyDecimalStrings();
    const numbers = [99_999_999, 99_999_999, 100_000_000, 3600, 3600, 3599, 1000, 999, 1000, 5, 0, -1, 2.5, 2 ** 60];
    for (let n = 100_002_345; n > 99_997_000; n--) numbers.push(n);
    // Two tokens' counts in turn: the thousands change on every call.
    for (let n = 0; n < 3000; n++) numbers.push(n % 2 === 0 ? 7_000_000 - n : 42_123_456 - n);
    for (const n of numbers) expect(write(n)).toBe(String(n));
  });
});
