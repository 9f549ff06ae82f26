import { describe, expect, it } from "vitest";
import { editRate, wordsOf } from "./edit-rate.ts";

describe("editRate", () => {
  it("is 0 for an untouched text, markup and spacing aside", () => {
    expect(editRate([{ machine: "<p>Uno  dos tres.</p>", approved: "<p>Uno dos tres.</p>" }])).toBe(0);
  });

  it("counts word substitutions, insertions and deletions over the approved text's words", () => {
    // One substitution (entregarían → entregarán) and one insertion (12) over 6 approved words.
    expect(
      editRate([
        { machine: "los aliados entregarían más sistemas", approved: "los aliados entregarán 12 más sistemas" },
      ]),
    ).toBeCloseTo(2 / 6);
    // Title and body together: 1 edit over 2 + 3 words.
    expect(
      editRate([
        { machine: "Hola mundo", approved: "Hola mundo" },
        { machine: "<p>uno dos tres</p>", approved: "<p>uno dos cuatro</p>" },
      ]),
    ).toBeCloseTo(1 / 5);
  });

  it("reads the entities the sanitizer writes as the characters they are", () => {
    expect(wordsOf("<p>A &amp; B</p>")).toEqual(["A", "&", "B"]);
  });
});
