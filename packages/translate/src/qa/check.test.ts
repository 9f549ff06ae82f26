import { measureGrowth, repeatTo } from "@babelwire/ingest/linear-time";
import { describe, expect, it } from "vitest";
import { blocksAutoPublish, checkTranslation } from "./check.ts";

const codes = (sources: string[], targets: string[], unknownWords: string[] = []) =>
  checkTranslation(sources, targets, { unknownWords }).map((flag) => flag.code);

describe("checkTranslation", () => {
  it("passes a faithful translation", () => {
    expect(codes(["<p>27 leaders met on 4 May.</p>"], ["<p>27 dirigentes se reunieron el 4 de mayo.</p>"])).toEqual([]);
  });

  it("flags a number lost, whatever its separators", () => {
    expect(codes(["<p>1,250 people</p>"], ["<p>1.250 personas</p>"])).toEqual([]);
    expect(codes(["<p>1,250 people</p>"], ["<p>125 personas</p>"])).toEqual(["number_missing"]);
  });

  it("flags broken markup and an empty segment", () => {
    expect(codes(["<p>a <b>b</b></p>"], ["<p>a <b>b</p>"])).toEqual(["markup_unbalanced"]);
    expect(codes(["<p>text</p>"], [""])).toEqual(["segment_empty"]);
  });

  it("flags lower-case words the engine lacked, not names or abbreviations kept as written", () => {
    expect(codes(["<p>x</p>"], ["<p>x</p>"], ["Rutte", "Budanov", "ed", "NATO"])).toEqual([]);
    expect(codes(["<p>x</p>"], ["<p>x</p>"], ["Rutte", "providines"])).toEqual(["untranslated_words"]);
  });

  it("flags a target far longer or shorter than its source", () => {
    const long = `<p>${"word ".repeat(60)}</p>`;
    expect(codes([long], ["<p>corta</p>"])).toContain("length_ratio");
  });

  it("flags a translation made through English as pivot_used, a warning that keeps it from auto publishing", () => {
    const flags = checkTranslation(["<p>x</p>"], ["<p>x</p>"], { unknownWords: [], pivotUsed: true });
    expect(flags).toEqual([expect.objectContaining({ code: "pivot_used", severity: "warning" })]);
    expect(blocksAutoPublish(flags)).toBe(true);
  });

  it("lets review auto publish only what has no flag at all", () => {
    expect(blocksAutoPublish([])).toBe(false);
    expect(blocksAutoPublish([{ code: "untranslated_words", message: "m", severity: "warning" }])).toBe(true);
  });
});

describe("checkTranslation on hostile output", () => {
  // An engine (a language model above all) may answer anything: a megabyte of unclosed "<a"
  // made each tag pattern scan to the end of the text from every "<" (quadratic).
  it("checks 1 MB of unclosed tags in linear time", async () => {
    const growth = await measureGrowth(
      (target) => checkTranslation(["<p>4 May</p>"], [target], { unknownWords: [] }),
      (chars) => repeatTo("<a", chars),
    );
    expect(growth.largeMs).toBeLessThan(growth.boundMs);
  });
});
