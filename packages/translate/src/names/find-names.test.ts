import { describe, expect, it } from "vitest";
import { findArticleNames } from "./find-names.ts";
import { createApertiumLexicon } from "./lexicon.ts";
import { protectNames } from "./protect-names.ts";

const lexicon = createApertiumLexicon();

async function namesIn(segments: string[], format: "text" | "html" = "text"): Promise<string[][]> {
  const finder = await findArticleNames(lexicon, "en", "es", segments, format);
  return segments.map((segment) => finder.spans(segment).map((span) => segment.slice(span.start, span.end)));
}

describe("people's names found with Apertium's dictionary", () => {
  it("takes a first name with the capitalised words after it, whatever they mean, and leaves the title out", async () => {
    expect(await namesIn(["Ambassador Bridget Brink met Jack Straw and Mike Pence."])).toEqual([
      ["Bridget Brink", "Jack Straw", "Mike Pence"],
    ]);
  });

  it("finds a name by its unknown word, reaching back to a first name the dictionary lacks", async () => {
    expect(await namesIn(["Leader of the House Penny Mordaunt spoke to Kyrylo Budanov."])).toEqual([
      ["Penny Mordaunt", "Kyrylo Budanov"],
    ]);
  });

  it("reuses a surname seen anywhere in the article, but not a month that is one", async () => {
    expect(
      await namesIn(["NATO chief Mark Rutte spoke.", "Rutte added that Theresa May left in May 2019.", "May agreed."]),
    ).toEqual([["Mark Rutte"], ["Rutte", "Theresa May"], ["May"]]);
  });

  it("leaves places, organisations, institutions and lone unknown words to the engine", async () => {
    expect(
      await namesIn([
        "North Korea, NATO and the White House met in Kyiv with the European Union and the Verkhovna Rada.",
      ]),
    ).toEqual([[]]);
  });

  it("reads html text only, and a possessive is not part of the name", async () => {
    const segment = '<p title="Donald Trump">Donald Trump&#39;s envoy met <b>Vladimir Putin</b>.</p>';
    expect(await namesIn([segment], "html")).toEqual([["Donald Trump", "Vladimir Putin"]]);
  });

  it("puts each name back where the engine left its placeholder, and reports one it lost", async () => {
    const finder = await findArticleNames(lexicon, "en", "ca", ["Donald Trump's plan."], "text");
    const names = protectNames(["Donald Trump's plan."], finder);
    expect(names.segments).toEqual(["Zxqwaq's plan."]);
    // Apertium's eng-cat glues "has" (its reading of 's) onto an unknown word.
    expect(names.restore(["Zxqwaqha el pla."])).toEqual({ targets: ["Donald Trump el pla."], lost: [] });
    expect(names.restore(["El pla."])).toEqual({ targets: ["El pla."], lost: ["Donald Trump"] });
  });

  it("finds nothing without a dictionary", async () => {
    const finder = await findArticleNames(undefined, "en", "es", ["Jack Straw spoke."], "text");
    expect(finder.spans("Jack Straw spoke.")).toEqual([]);
  });
});
