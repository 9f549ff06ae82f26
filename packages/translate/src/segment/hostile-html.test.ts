import { textNodesToLine as htmlToText, tokenizeHtml } from "@babelwire/html";
import { describe, expect, it } from "vitest";
import { splitBlocks } from "./blocks.ts";
import { createSentenceSplitter } from "./sentences.ts";

/*
 * Hostile html, 200 KB of it: tags that never close. The regular-expression scanners took
 * quadratic time on it (tokenizeHtml 37 s, htmlToText 10 s on this machine); a one-pass
 * scanner takes milliseconds. No duration is asserted: the tests' own timeout (10 s, far
 * above linear and far below quadratic) is what fails a quadratic scanner.
 */
const HOSTILE = [
  "<a x ".repeat(40_000),
  '<p title="'.repeat(20_000),
  "<!--".repeat(50_000),
  "</".repeat(100_000),
  `<b>${"<i a='".repeat(30_000)}`,
];
const TIMEOUT = 10_000;

describe.each(HOSTILE.map((html) => [JSON.stringify(html.slice(0, 12)), html]))("html scanners on %s…", (_, html) => {
  it(
    "tokenizeHtml reads it in one pass and gives every character back",
    () => {
      const tokens = tokenizeHtml(html);
      expect(tokens.map((token) => token.raw).join("")).toBe(html);
    },
    TIMEOUT,
  );

  it(
    "htmlToText reads it in one pass",
    () => {
      expect(typeof htmlToText(html)).toBe("string");
    },
    TIMEOUT,
  );

  it(
    "the block and sentence splitters built on tokenizeHtml read it in one pass",
    () => {
      expect(Array.isArray(splitBlocks(html))).toBe(true);
      createSentenceSplitter("en")(html, "html");
    },
    TIMEOUT,
  );
});

describe("tokenizeHtml on ordinary html", () => {
  it("reads tags, quoted attributes holding >, comments, stray closes and a tag cut off at the end", () => {
    const html = '<p class="a>b">Hi &amp; <b >x</b ></p></span><br/><!-- c -->y<a x ';
    expect(tokenizeHtml(html)).toEqual([
      { kind: "open", raw: '<p class="a>b">', name: "p", selfClosing: false },
      { kind: "text", raw: "Hi &amp; " },
      { kind: "open", raw: "<b >", name: "b", selfClosing: false },
      { kind: "text", raw: "x" },
      { kind: "close", raw: "</b >", name: "b" },
      { kind: "close", raw: "</p>", name: "p" },
      { kind: "close", raw: "</span>", name: "span" },
      { kind: "open", raw: "<br/>", name: "br", selfClosing: true },
      { kind: "text", raw: "<!-- c -->" },
      { kind: "text", raw: "y<a x " },
    ]);
  });

  it("gives htmlToText the text with entities decoded and spaces collapsed", () => {
    expect(htmlToText("<b>Rusia</b>  env&iacute;a &amp; <i>m&aacute;s</i>&#x21;")).toBe("Rusia envía & más!");
  });
});
