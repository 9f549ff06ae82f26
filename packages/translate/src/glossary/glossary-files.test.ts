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
  it("reads single-quoted attributes, entities and CDATA as XML has them", () => {
    const tbx = `<?xml version='1.0'?>
<martif type='TBX'><text><body>
  <termEntry id='c1'>
    <langSet xml:lang='en'><tig><term>Verkhovna Rada</term></tig></langSet>
    <langSet xml:lang='es'><tig><term><![CDATA[Rada Suprema]]></term></tig></langSet>
  </termEntry>
  <termEntry id='c2'>
    <langSet xml:lang="en"><tig><term>R&amp;D &#x2014; EU</term></tig></langSet>
    <langSet xml:lang="es"><tig><term>I+D &#8212; UE</term></tig></langSet>
  </termEntry>
</body></text></martif>`;
    expect(parseGlossaryTbx(tbx, { from: "en", to: "es" })).toEqual([
      { term: "Verkhovna Rada", translation: "Rada Suprema", caseSensitive: true },
      { term: "R&D — EU", translation: "I+D — UE", caseSensitive: true },
    ]);
  });

  it("refuses a file that is not well-formed with an error naming the line, not a RangeError", () => {
    const bad = `<?xml version="1.0"?>
<martif><text><body>
  <termEntry><langSet xml:lang="en"><tig><term>&#x110000;</term></tig></langSet></termEntry>
</body></text></martif>`;
    expect(() => parseGlossaryTbx(bad, { from: "en", to: "es" })).toThrow(/^TBX is not well-formed XML at line 3: /);
    const unclosed = `<martif><text><body>\n<termEntry>\n<langSet xml:lang="en"><term>A</term>\n</body></text></martif>`;
    expect(() => parseGlossaryTbx(unclosed, { from: "en", to: "es" })).toThrow(/line 4/);
  });

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
