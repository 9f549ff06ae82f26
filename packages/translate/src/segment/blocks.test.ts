import { readSample } from "@babelwire/core/corpora";
import { describe, expect, it } from "vitest";
import { joinBlocks, splitBlocks } from "./blocks.ts";

function escapeText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function textOf(html: string): string {
  return html
    .replace(/<[^>]*>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

const BODY = [
  "<h2>Russia sends military tech to North Korea</h2>",
  '<p>NATO Secretary General <a href="https://www.nato.int/?a=1&amp;b=2">Mark Rutte</a> said this <em>before</em> the summit.</p>',
  '<figure><img src="https://example.com/rutte.jpg" alt="Rutte > Budapest"><figcaption>Mark Rutte in <b>Budapest</b></figcaption></figure>',
  "<ul><li>North Korea</li><li>Iran</li><li>China and <strong>Russia</strong></li></ul>",
  "<blockquote><p>We need to discuss this today.</p><p>Second quoted paragraph.</p></blockquote>",
  "<table><thead><tr><th>Year</th></tr></thead><tbody><tr><td>2024</td></tr></tbody></table>",
  "<pre><code>a &lt; b</code></pre>",
  "<hr>",
  "<ol><li>One</li><li>Two<ul><li>nested</li></ul></li></ol>",
  "<p>Line one<br>line two</p>",
];

describe("splitBlocks and joinBlocks", () => {
  it("makes each top-level block one segment, a whole list one segment", () => {
    expect(splitBlocks(BODY.join("\n"))).toEqual(BODY);
  });

  it("round-trips a realistic body exactly", () => {
    const body = BODY.join("\n");
    expect(joinBlocks(splitBlocks(body))).toBe(body);
  });

  it("ignores whitespace between blocks and keeps everything inside them", () => {
    const body = `\n  ${BODY.join("\n\n   ")}\n`;
    expect(splitBlocks(body)).toEqual(BODY);
    expect(textOf(joinBlocks(splitBlocks(body)))).toBe(textOf(body));
  });

  it("wraps loose text and inline markup between blocks in a paragraph", () => {
    const segments = splitBlocks(
      'Intro with <a href="/x">a link</a> and <b>bold</b>.<h2>Title</h2>Tail text<br><p>Last</p>',
    );
    expect(segments).toEqual([
      '<p>Intro with <a href="/x">a link</a> and <b>bold</b>.</p>',
      "<h2>Title</h2>",
      "<p>Tail text<br></p>",
      "<p>Last</p>",
    ]);
  });

  it("closes blocks the markup left open and ends a paragraph where another block begins", () => {
    expect(splitBlocks("<p>One<p>Two <b>bold<h3>Head</h3><blockquote>quote")).toEqual([
      "<p>One</p>",
      "<p>Two <b>bold</b></p>",
      "<h3>Head</h3>",
      "<blockquote>quote</blockquote>",
    ]);
  });

  it("drops stray close tags and empty loose line breaks", () => {
    expect(splitBlocks("</p><p>Text</p><br>\n</div>")).toEqual(["<p>Text</p>"]);
  });

  it("gives nothing for an empty body", () => {
    expect(splitBlocks("")).toEqual([]);
    expect(joinBlocks([])).toBe("");
  });

  it("gives one segment per paragraph of the Ukrinform sample", () => {
    const paragraphs = readSample("ukrinform-rutte-en.txt")
      .split("\n")
      .map((line) => line.trim())
      .filter(Boolean);
    const body = paragraphs.map((paragraph) => `<p>${escapeText(paragraph)}</p>`).join("\n");
    const segments = splitBlocks(body);
    expect(segments).toHaveLength(paragraphs.length);
    segments.forEach((segment, index) => {
      expect(segment).toBe(`<p>${escapeText(paragraphs[index] ?? "")}</p>`);
    });
    expect(joinBlocks(segments)).toBe(body);
  });
});
