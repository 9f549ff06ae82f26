import { readSample } from "@babelwire/core/corpora";
import { describe, expect, it } from "vitest";
import { extractSentences, MAX_RANKED_SENTENCES, summarizeExtractive } from "./extractive.ts";

const SAMPLE = readSample("ukrinform-rutte-en.txt");

describe("summarizeExtractive", () => {
  it("returns exactly N sentences of the Ukrinform sample, each from the original, in original order", () => {
    for (const count of [1, 3, 5]) {
      const chosen = extractSentences(SAMPLE, { lang: "en", sentences: count });
      expect(chosen).toHaveLength(count);
      let position = -1;
      for (const sentence of chosen) {
        const found = SAMPLE.indexOf(sentence, position + 1);
        expect(found, sentence).toBeGreaterThan(position);
        position = found;
      }
      expect(summarizeExtractive(SAMPLE, { lang: "en", sentences: count })).toBe(chosen.join(" "));
    }
  });

  it("keeps three sentences by default and picks ones about the article's topic", () => {
    const chosen = extractSentences(SAMPLE, { lang: "en" });
    expect(chosen).toHaveLength(3);
    expect(chosen.join(" ")).toMatch(/North Korea|Russia/);
    expect(chosen).not.toContain("- News");
  });

  it("gives the same summary every time", () => {
    const first = summarizeExtractive(SAMPLE, { lang: "en", sentences: 4 });
    for (let run = 0; run < 3; run += 1) expect(summarizeExtractive(SAMPLE, { lang: "en", sentences: 4 })).toBe(first);
  });

  it("gives a text of fewer sentences than asked back whole", () => {
    const text = "  Rutte met the allies in Budapest.\nThey discussed North Korea.  ";
    expect(summarizeExtractive(text, { lang: "en", sentences: 3 })).toBe(text.trim());
  });

  it("gives an empty string for empty or blank text and for zero sentences", () => {
    expect(summarizeExtractive("", { lang: "en" })).toBe("");
    expect(summarizeExtractive(" \n ", { lang: "en" })).toBe("");
    expect(summarizeExtractive(SAMPLE, { lang: "en", sentences: 0 })).toBe("");
  });

  it("splits sentences by the language's rules, keeping abbreviations such as U.S. inside a sentence", () => {
    const chosen = extractSentences(SAMPLE, { lang: "en", sentences: 50 });
    expect(chosen).toContain(
      "He noted that he hopes to meet soon with the winner of the U.S. presidential election, Donald Trump, to talk about how to collectively confront the new threat.",
    );
  });

  it("summarizes Ukrainian and Spanish text", () => {
    const uk =
      "Генеральний секретар НАТО Марк Рютте зустрівся з союзниками. Росія передає Північній Кореї військові технології. " +
      "Північна Корея надсилає Росії ракети. Погода в Будапешті була теплою. Союзники НАТО обговорили загрозу від Росії та Північної Кореї.";
    const chosen = extractSentences(uk, { lang: "uk", sentences: 2 });
    expect(chosen).toHaveLength(2);
    expect(chosen.join(" ")).not.toContain("Погода");
    const es =
      "La OTAN se reunió en Budapest. Rusia envía tecnología militar a Corea del Norte. El tiempo fue bueno. Corea del Norte envía misiles a Rusia.";
    expect(extractSentences(es, { lang: "es", sentences: 2 })).toEqual([
      "Rusia envía tecnología militar a Corea del Norte.",
      "Corea del Norte envía misiles a Rusia.",
    ]);
  });
});

describe("summarizeExtractive on a hostile body", () => {
  // 1 MB of short sentences: ranking all of them (about 70,000) would take a matrix of 5·10^9
  // cells, minutes of work or the process's memory. Only the first ones are ranked.
  it("summarizes 1 MB of short sentences within seconds, from its first sentences", () => {
    const sentences = Array.from({ length: 70_000 }, (_, index) => `Grain ship ${index} left port.`);
    const text = sentences.join(" ").slice(0, 1_000_000);
    const started = performance.now();
    const chosen = extractSentences(text, { lang: "en", sentences: 3 });
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(chosen).toHaveLength(3);
    for (const sentence of chosen) expect(sentences.indexOf(sentence)).toBeLessThan(MAX_RANKED_SENTENCES);
  });
});
