import { measureGrowth, repeatTo } from "@babelwire/core/linear-time";
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

  it("flags a translation made through English as pivot_used, a warning that holds it only under review strict", () => {
    const flags = checkTranslation(["<p>x</p>"], ["<p>x</p>"], { unknownWords: [], pivotUsed: true });
    expect(flags).toEqual([expect.objectContaining({ code: "pivot_used", severity: "warning" })]);
    expect(blocksAutoPublish(flags, "auto")).toBe(false);
    expect(blocksAutoPublish(flags, "strict")).toBe(true);
  });

  it("flags a link the translation lost as an error, and keeps a link moved within the segment", () => {
    const source = ['<p>See <a href="https://a.test/1">this</a> and <a href="https://a.test/2">that</a>.</p>'];
    expect(codes(source, ['<p>Mira <a href="https://a.test/1">esto</a> y eso.</p>'])).toEqual(["link_missing"]);
    expect(
      codes(source, ['<p>Y <a href="https://a.test/2">eso</a>, <a href="https://a.test/1">esto</a>.</p>']),
    ).toEqual([]);
  });

  it("lets review auto publish past warnings but not errors; review strict past nothing", () => {
    const warning = { code: "untranslated_words", message: "m", severity: "warning" as const };
    const error = { code: "number_missing", message: "m", severity: "error" as const };
    expect(blocksAutoPublish([])).toBe(false);
    expect(blocksAutoPublish([warning])).toBe(false);
    expect(blocksAutoPublish([warning, error])).toBe(true);
    expect(blocksAutoPublish([], "strict")).toBe(false);
    expect(blocksAutoPublish([warning], "strict")).toBe(true);
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
