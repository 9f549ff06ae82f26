import { describe, expect, it } from "vitest";
import { splitSentences } from "./sentences.ts";

describe("the summarizer's sentences", () => {
  it("keeps a title or an initial with the name after it, as translation's segmenter does", () => {
    const english = splitSentences("Mr. Smith met Dr. Jones in the U.S. Congress. They talked.", "en", new Set());
    expect(english.map((sentence) => sentence.text)).toEqual([
      "Mr. Smith met Dr. Jones in the U.S. Congress.",
      "They talked.",
    ]);
    const ukrainian = splitSentences(
      "Генсек НАТО М. Рютте заявив про загрозу. Він зустрівся з міністрами.",
      "uk",
      new Set(),
    );
    expect(ukrainian.map((sentence) => sentence.text)).toEqual([
      "Генсек НАТО М. Рютте заявив про загрозу.",
      "Він зустрівся з міністрами.",
    ]);
  });
});
