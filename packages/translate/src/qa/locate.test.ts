import { describe, expect, it } from "vitest";
import { checkTranslation } from "./check.ts";
import { locateFlags } from "./locate.ts";

const names = (index: number) => (index === 0 ? "title" : index === 1 ? "summary" : `s${index - 1}`);

describe("locateFlags", () => {
  it("puts each flag on the segments it concerns", () => {
    const sources = ["Rutte in Kyiv", "Lead", "<p>He pledged 300 tanks.</p>", "<p>Talks went on.</p>", "<p>Fine.</p>"];
    const targets = ["Rutte en Kyiv", "Entradilla", "<p>Prometió tanques.</p>", "<p>Conversaciones *wentish.</p>", ""];
    const options = { unknownWords: ["wentish"], glossaryLost: ["Rutte"] };
    const flags = locateFlags(checkTranslation(sources, targets, options), sources, targets, options, names);
    const at = Object.fromEntries(flags.map((flag) => [flag.code, flag.segments]));
    expect(at).toMatchObject({
      number_missing: ["s1"],
      untranslated_words: ["s2"],
      glossary_term_missing: ["title"],
      segment_empty: ["s3"],
    });
  });
});
