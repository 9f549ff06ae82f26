import { describe, expect, it } from "vitest";
import { boundedSegments } from "./segments.ts";

const sentences = new Intl.Segmenter("en", { granularity: "sentence" });
const words = new Intl.Segmenter("en", { granularity: "word" });

describe("boundedSegments", () => {
  it("gives the segments Intl.Segmenter gives, across many windows", () => {
    const story = Array.from(
      { length: 400 },
      (_, index) => `Ship ${index} left Odesa at 6 a.m. on Monday, the port said. "It sailed," said Mr. Kuleba! Why? `,
    ).join("");
    for (const segmenter of [sentences, words]) {
      const expected = [...segmenter.segment(story)].map(({ index, segment, isWordLike }) => ({
        index,
        segment,
        ...(isWordLike !== undefined && { isWordLike }),
      }));
      expect([...boundedSegments(segmenter, story)]).toEqual(expected);
    }
  });

  it("covers the whole text, a run without breaks cut into long pieces", () => {
    const text = `${"x".repeat(200_000)}. Then a sentence.`;
    const pieces = [...boundedSegments(sentences, text)];
    expect(pieces.map((piece) => piece.segment).join("")).toBe(text);
    expect(pieces.at(-1)?.segment).toBe("Then a sentence.");
  });

  it("segments 1 MB of short sentences within seconds (Intl.Segmenter alone is quadratic)", () => {
    const text = "Grain ship left. ".repeat(60_000);
    const started = performance.now();
    let count = 0;
    for (const _ of boundedSegments(sentences, text)) count++;
    expect(count).toBe(60_000);
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});
