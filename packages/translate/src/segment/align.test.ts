import { describe, expect, it } from "vitest";
import { alignSentences } from "./align.ts";
import { createSentenceSplitter } from "./sentences.ts";

const align = alignSentences(createSentenceSplitter("en"), createSentenceSplitter("es"), "html");

describe("aligning a paragraph's sentences with its translation's", () => {
  it("pairs them in order when there are as many and each keeps its numbers", () => {
    expect(
      align({
        source: '<p>Mr. Smith arrived at 9.30. He met <a href="/m/2024">12 ministers</a>.</p>',
        target: '<p>El Sr. Smith llegó a las 9.30. Se reunió con <a href="/m/2024">12 ministros</a>.</p>',
      }),
    ).toEqual([
      { source: "Mr. Smith arrived at 9.30.", target: "El Sr. Smith llegó a las 9.30." },
      {
        source: 'He met <a href="/m/2024">12 ministers</a>.',
        target: 'Se reunió con <a href="/m/2024">12 ministros</a>.',
      },
    ]);
  });

  it("pairs a source sentence with two of the translation's where the engine broke it in two", () => {
    expect(
      align({
        source:
          "<p>We must work on the threat from these four countries (North Korea, Iran, Russia and China - ed.) working together. Very quickly, we will see that the United States is threatened.</p>",
        target:
          "<p>Tenemos que obrar en la amenaza de estos cuatro países (Corea del Norte, Irán, Rusia y China - ed.) Obrando junto. Muy deprisa, veremos que los Estados Unidos está acechado.</p>",
      }),
    ).toEqual([
      {
        source:
          "We must work on the threat from these four countries (North Korea, Iran, Russia and China - ed.) working together.",
        target:
          "Tenemos que obrar en la amenaza de estos cuatro países (Corea del Norte, Irán, Rusia y China - ed.) Obrando junto.",
      },
      {
        source: "Very quickly, we will see that the United States is threatened.",
        target: "Muy deprisa, veremos que los Estados Unidos está acechado.",
      },
    ]);
  });

  it("pairs nothing when the translation has another number of sentences", () => {
    expect(align({ source: "<p>He came. He saw. He won.</p>", target: "<p>Vino y vio. Venció.</p>" })).toEqual([]);
  });

  it("pairs nothing when a figure crossed a sentence boundary", () => {
    expect(
      align({
        source: "<p>It cost 40 million. Work ends in 2027.</p>",
        target: "<p>Costó 40 millones y acabará en 2027. Es pronto.</p>",
      }),
    ).toEqual([]);
    expect(
      align({ source: "<p>Two died. 14 were hurt.</p>", target: "<p>Dos murieron, 14 heridos. Otros huyeron.</p>" }),
    ).toEqual([]);
  });
});
