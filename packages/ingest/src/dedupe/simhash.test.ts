import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { hammingDistance, SAME_STORY_DISTANCE, simhash, simhashBands } from "./simhash.ts";

const sample = readFileSync(resolve(import.meta.dirname, "../../../../examples/feeds/ukrinform-sample.xml"), "utf8")
  .replace(/<[^>]+>/g, " ")
  .replace(/\s+/g, " ");

describe("simhash", () => {
  it("finds the same wire copy with a different dateline and a typo to be the same story", () => {
    const edited = `KYIV (Ukrinform) — ${sample.replace("Budapest", "Budapest, Hungary").replace("dangerous", "dangerus")}`;
    const a = simhash(sample) ?? "";
    const b = simhash(edited) ?? "";
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(hammingDistance(a, b)).toBeLessThanOrEqual(SAME_STORY_DISTANCE);
    expect(simhashBands(a).some((band, i) => band === simhashBands(b)[i])).toBe(true);
  });

  it("keeps different stories apart", () => {
    const other =
      "The central bank raised interest rates by half a point on Thursday, citing persistent inflation in services and a tight labour market, and signalled further increases before the end of the year.";
    expect(hammingDistance(simhash(sample) ?? "", simhash(other) ?? "")).toBeGreaterThan(SAME_STORY_DISTANCE * 3);
  });

  it("is deterministic and gives nothing for empty text", () => {
    expect(simhash(sample)).toBe(simhash(sample));
    expect(simhash("  ")).toBeUndefined();
    expect(hammingDistance("ffffffffffffffff", "0000000000000000")).toBe(64);
  });
});
