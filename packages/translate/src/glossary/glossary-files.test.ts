import { describe, expect, it } from "vitest";
import { parseGlossaryCsv, parseGlossaryTbx } from "./glossary-files.ts";

describe("parseGlossaryCsv", () => {
  it("reads quoted fields, skips a header and reads the case flag", () => {
    const csv =
      'term,translation,caseSensitive\r\n"Donald Trump","Donald Trump",true\n"Rada, the","la Rada",no\n\nNATO,OTAN\n';
    expect(parseGlossaryCsv(csv)).toEqual([
      { term: "Donald Trump", translation: "Donald Trump", caseSensitive: true },
      { term: "Rada, the", translation: "la Rada", caseSensitive: false },
      { term: "NATO", translation: "OTAN", caseSensitive: true },
    ]);
  });

  it("names the line that lacks a translation", () => {
    expect(() => parseGlossaryCsv("NATO,OTAN\nKyiv,\n")).toThrow(/line 2/);
  });
});

describe("parseGlossaryTbx", () => {
  it("reads TBX v2 and v3 concepts that have both languages", () => {
    const tbx = `<?xml version="1.0"?><martif><text><body>
      <termEntry id="1"><langSet xml:lang="en-US"><tig><term>Verkhovna Rada</term></tig></langSet>
        <langSet xml:lang="es"><tig><term>Rada Suprema</term></tig></langSet></termEntry>
      <termEntry id="2"><langSet xml:lang="en"><tig><term>only English</term></tig></langSet></termEntry>
      <conceptEntry id="3"><langSec xml:lang="en"><termSec><term>R&amp;D</term></termSec></langSec>
        <langSec xml:lang="es"><termSec><term>I+D</term></termSec></langSec></conceptEntry>
    </body></text></martif>`;
    expect(parseGlossaryTbx(tbx, { from: "en", to: "es" })).toEqual([
      { term: "Verkhovna Rada", translation: "Rada Suprema", caseSensitive: true },
      { term: "R&D", translation: "I+D", caseSensitive: true },
    ]);
  });
});
