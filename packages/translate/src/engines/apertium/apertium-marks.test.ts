import { describe, expect, it } from "vitest";
import { stripUnknownMarks } from "./apertium-marks.ts";

describe("stripUnknownMarks", () => {
  it("removes *, # and @ marks at word starts and reports the words left untranslated (* and @)", () => {
    const result = stripUnknownMarks("Secretario #de la otan Mark *Rutte y @Budanov en *Kyiv-*Pechersk.");
    expect(result.html).toBe("Secretario de la otan Mark Rutte y Budanov en Kyiv-Pechersk.");
    expect(result.words).toEqual(["Rutte", "Budanov", "Kyiv", "Pechersk"]);
  });

  it("leaves marks that are the source's own: inside tags, inside words and before spaces", () => {
    const html = '<a href="https://x.test/*a?b=@c#frag">a@b.com</a> 5 * 3 <img alt="*x">';
    expect(stripUnknownMarks(html)).toEqual({ html, words: [] });
  });

  it("keeps a hashtag's or handle's own sign and strips only Apertium's mark after it", () => {
    expect(stripUnknownMarks("Sigue @*nato y #*StandWithUkraine")).toEqual({
      html: "Sigue @nato y #StandWithUkraine",
      words: ["nato", "StandWithUkraine"],
    });
  });

  it("handles words with diacritics and marks right after a tag or an entity", () => {
    expect(stripUnknownMarks("<b>*Zoë</b> &lt;*x&gt;")).toEqual({ html: "<b>Zoë</b> &lt;x&gt;", words: ["Zoë", "x"] });
  });
});
