import { describe, expect, it } from "vitest";
import { createApertiumLexicon } from "../names/lexicon.ts";
import { repairStyle, styleDictionary } from "./repair-style.ts";

const lexicon = createApertiumLexicon();

async function repaired(source: string, target: string, to: string, format: "html" | "text" = "html") {
  const dictionary = await styleDictionary(lexicon, "en", to, [source], [target], format);
  return repairStyle(source, target, { to, format, dictionary });
}

describe("wire style repairs", () => {
  it("lowers capitals copied from an acronym onto the words around it, keeping the acronym", async () => {
    expect(
      await repaired("<p>said the NATO Secretary General.</p>", "<p>dijo el Secretario General DE LA OTAN.</p>", "es"),
    ).toBe("<p>dijo el Secretario General de la OTAN.</p>");
  });

  it("puts a lowered acronym back in capitals", async () => {
    expect(await repaired("NATO Secretary General", "Secretario General de la otan", "es", "text")).toBe(
      "Secretario General de la OTAN",
    );
  });

  it("lowers a verb or function word capitalised inside a sentence, not one that begins it", async () => {
    expect(await repaired("Zxqwaq assured that", "Zxqwaq Aseguró que", "es", "text")).toBe("Zxqwaq aseguró que");
    expect(
      await repaired(
        "the North Korean (military - ed.) is involved",
        "el coreano Del norte (militar - ed.) Está implicado",
        "es",
        "text",
      ),
    ).toBe("el coreano del norte (militar - ed.) está implicado");
    expect(await repaired("He left. He noted that", "Se fue. Notó que", "es", "text")).toBe("Se fue. Notó que");
  });

  it("keeps proper names the engine wrote, even where a word of one is also a verb", async () => {
    expect(await repaired("the United States", "los Estados Unidos", "es", "text")).toBe("los Estados Unidos");
    expect(await repaired("the United States", "els Estats Units", "ca", "text")).toBe("els Estats Units");
  });

  it("removes doubled spaces, spaces before closing and after opening punctuation, and at a paragraph's edges", async () => {
    expect(
      await repaired("<p>He noted that he hopes (soon).</p>", "<p> Notó que  espera ( pronto) , hoy .</p>", "es"),
    ).toBe("<p>Notó que espera (pronto), hoy.</p>");
    expect(await repaired("of the U.S.", "de EE.UU..", "es", "text")).toBe("de EE.UU.");
  });

  it("writes straight quotes in the target's convention, comma and full stop after the closing one in Spanish", async () => {
    expect(await repaired('<p>"Today we meet," he said.</p>', '<p>"Hoy nos reunimos," dijo.</p>', "es")).toBe(
      "<p>«Hoy nos reunimos», dijo.</p>",
    );
    expect(await repaired('"Today," he said.', '"Avui," va dir.', "ca", "text")).toBe("«Avui», va dir.");
    expect(await repaired('"Heute," sagte er.', '"Heute," sagte er.', "de", "text")).toBe("„Heute,“ sagte er.");
  });

  it("changes no number, no markup and no attribute", async () => {
    const source =
      '<p>He said "2 %" at <a href="https://x.test/?q=&quot;A  B&quot;" title="A  B">NATO</a>, 1,000  times.</p>';
    const target =
      '<p>Dijo "2 %" en <a href="https://x.test/?q=&quot;A  B&quot;" title="A  B">OTAN</a> , 1,000  veces.</p>';
    const out = await repaired(source, target, "es");
    expect(out).toBe(
      '<p>Dijo «2 %» en <a href="https://x.test/?q=&quot;A  B&quot;" title="A  B">OTAN</a>, 1,000 veces.</p>',
    );
    expect(out.match(/\d+/g)).toEqual(target.match(/\d+/g));
    expect(out.match(/<[^>]*>/g)).toEqual(target.match(/<[^>]*>/g));
  });

  it("without a dictionary still repairs spaces and quotes", async () => {
    expect(repairStyle('"Hi  there"', '"Hola  allí"', { to: "es", format: "text" })).toBe("«Hola allí»");
  });
});
