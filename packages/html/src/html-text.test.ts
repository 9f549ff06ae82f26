import { describe, expect, it } from "vitest";
import { htmlToLine, htmlToText } from "./html-text.ts";

describe("htmlToText", () => {
  it("separates paragraphs with a blank line and keeps line breaks and list items on lines", () => {
    const html = "<h2>Head</h2><p>One &amp; <b>two</b>\n  spaced</p><p>Line<br>break</p><ul><li>a</li><li>b</li></ul>";
    expect(htmlToText(html)).toBe("Head\n\nOne & two spaced\n\nLine\nbreak\n\na\nb");
  });

  it("leaves out scripts, styles and comments of raw HTML", () => {
    expect(htmlToText("<p>a<script>var x = '<p>';</script><style>p{}</style><!-- c --></p><p>b</p>")).toBe("a\n\nb");
  });

  it("drops a tag left open at the end of the input, as browsers do, instead of showing it as text", () => {
    expect(htmlToLine('Breaking: "><link rel=import href=data:text/html,&lt;script&gt;x')).toBe('Breaking: ">');
    expect(htmlToLine("Rates rise &lt;b&gt; again")).toBe("Rates rise <b> again");
  });

  it("puts a title on one line with entities decoded", () => {
    expect(htmlToLine("  Tom &amp;amp; <i>Jerry</i>&rsquo;s\n day ")).toBe("Tom &amp; Jerry’s day");
  });

  it("does not end a tag at a > inside a quoted attribute value", () => {
    expect(htmlToLine('<img src="cat.jpg" alt="cat<br />dog"> and <a title="1 > 0" href="x">link</a>')).toBe(
      "and link",
    );
    // A quote that is not an attribute's value is not a string: the tag still ends at ">".
    expect(htmlToLine("<p class=it's>fine</p>")).toBe("fine");
  });

  it("reads hostile runs of unclosed tags, comments and scripts in linear time", () => {
    const hostile = [
      `<a${' x="1"'.repeat(40)}`, // exponential for a tag pattern that backtracks
      "<!--".repeat(100_000), // quadratic for a lazy comment pattern
      "<script ".repeat(50_000),
      "<ab ".repeat(100_000),
      '<a x="1" '.repeat(50_000),
    ];
    const started = performance.now();
    for (const html of hostile) expect(htmlToText(`<p>kept</p>${html}`)).toBe("kept");
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it("removes comments and scripts with their content, and keeps what follows an unclosed one", () => {
    expect(htmlToText("<p>a<!-- c -->b</p><SCRIPT>x</script >c<style>y</STYLE>d<!-- open")).toBe("ab\n\ncd");
    expect(htmlToText("one<script>never closed two<!-- c -->three")).toBe("onenever closed twothree");
  });
});
