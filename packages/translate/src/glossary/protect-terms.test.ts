import { describe, expect, it } from "vitest";
import { isPlaceholder, protectTerms } from "./protect-terms.ts";

const trump = { term: "Donald Trump", translation: "Donald Trump", caseSensitive: true };
const nato = { term: "nato", translation: "OTAN", caseSensitive: false };
const trumpAlone = { term: "Trump", translation: "Trump", caseSensitive: true };

describe("protectTerms", () => {
  it("replaces the longest term first, whole words only, never inside a tag", () => {
    const html = '<p><a href="https://x.test/Donald Trump">Donald Trump</a> and Trump, not Trumpet; NATO.</p>';
    const result = protectTerms([html], [trumpAlone, trump, nato], "html");
    const [protectedHtml = ""] = result.segments;
    expect(protectedHtml).toContain('href="https://x.test/Donald Trump"');
    expect(protectedHtml).not.toMatch(/>Donald Trump</);
    expect(protectedHtml).toContain("Trumpet");
    expect(protectedHtml).not.toMatch(/NATO/);
    expect(result.found[0]?.map((entry) => entry.term).sort()).toEqual(["Donald Trump", "Trump", "nato"]);
    const back = result.restore([protectedHtml]);
    expect(back.targets[0]).toBe(html.replace("NATO", "OTAN"));
    expect(back.lost).toEqual([]);
  });

  it("matches case-sensitive terms exactly and escapes what it puts into HTML", () => {
    const result = protectTerms(
      ["<p>donald trump and R&amp;D</p>"],
      [trump, { term: "R&D", translation: "I+D <x>", caseSensitive: true }],
      "html",
    );
    expect(result.segments[0]).toContain("donald trump");
    expect(result.restore(result.segments).targets[0]).toBe("<p>donald trump and I+D &lt;x&gt;</p>");
  });

  it("names a term whose placeholder the engine lost, and leaves segments not sent alone", () => {
    const result = protectTerms(["Donald Trump spoke.", "Nothing here."], [trump], "text");
    expect(result.restore(["Habló.", undefined])).toEqual({ targets: ["Habló.", undefined], lost: ["Donald Trump"] });
  });

  it("knows its placeholders among an engine's unknown words", () => {
    const [segment = ""] = protectTerms(["Donald Trump"], [trump], "text").segments;
    expect(isPlaceholder(segment)).toBe(true);
    expect(isPlaceholder("Zelensky")).toBe(false);
  });
});
