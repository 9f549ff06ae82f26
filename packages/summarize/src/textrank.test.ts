import { describe, expect, it } from "vitest";
import { rankSentences, similarity } from "./textrank.ts";

const set = (words: string) => new Set(words.split(" "));

describe("TextRank", () => {
  it("measures similarity as shared words over the sum of log lengths", () => {
    expect(similarity(set("nato russia korea"), set("russia korea iran missiles"))).toBeCloseTo(
      2 / (Math.log(3) + Math.log(4)),
    );
    expect(similarity(set("nato"), set("weather"))).toBe(0);
    expect(similarity(set("nato"), set("nato"))).toBe(0);
  });

  it("scores a sentence that shares words with many others above an isolated one", () => {
    const scores = rankSentences([
      set("russia korea technology"),
      set("russia korea missiles nato"),
      set("sunny weather budapest"),
      set("nato russia korea threat"),
    ]);
    const [first = 0, second = 0, weather = 0, fourth = 0] = scores;
    expect(weather).toBeCloseTo(0.15);
    expect(Math.min(first, second, fourth)).toBeGreaterThan(weather);
  });
});
