import { describe, expect, it } from "vitest";
import { decimalString } from "./decimal-string.ts";

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
