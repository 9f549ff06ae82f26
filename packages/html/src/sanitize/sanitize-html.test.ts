import { readFileSync } from "node:fs";
import { corporaAvailable, corporaPath } from "@babelwire/core/corpora";
import { decodeHTML } from "entities";
import { describe, expect, it } from "vitest";

const HAVE_CORPORA = corporaAvailable();

import { LARGE_CHARS, measureGrowth, repeatTo } from "@babelwire/core/linear-time";
import { htmlToText } from "../html-text.ts";
import { MAX_NESTING_DEPTH } from "./bounded-parse.ts";
import { MAX_BODY_CHARS, sanitizeBody, sanitizeHtml } from "./sanitize-html.ts";

const BASE = "https://news.example/world/story.html";
const ALLOWED_TAGS = new Set(
  "p br h2 h3 h4 h5 h6 strong b em i u s blockquote q cite ul ol li a img figure figcaption table thead tbody tr th td pre code sup sub hr".split(
    " ",
  ),
);

/** Every way markup could still run code: the assertions the XSS corpora are held to. */
function expectInert(html: string): void {
  expect(html).not.toMatch(/<script/i);
  for (const [tag, name = ""] of html.matchAll(/<\/?([a-z0-9]+)[^>]*>/gi)) {
    expect(ALLOWED_TAGS.has(name.toLowerCase()), `tag ${tag}`).toBe(true);
    expect(tag, "event handler").not.toMatch(/\son[a-z]+\s*=/i);
    expect(tag, "style attribute").not.toMatch(/\sstyle\s*=/i);
    for (const [, value = ""] of tag.matchAll(/="([^"]*)"/g)) {
      // Browsers ignore controls and whitespace inside a URL's scheme, so the check does too.
      const compact = Array.from(decodeHTML(value))
        .filter((char) => char.charCodeAt(0) > 0x20)
        .join("");
      expect(compact, `attribute in ${tag}`).not.toMatch(/^(javascript|vbscript|data):/i);
    }
  }
}

function payloadboxVectors(): string[] {
  const list = readFileSync(corporaPath("xss/payloadbox/Intruder/xss-payload-list.txt"), "utf8");
  return list.split("\n").filter((line) => line.trim() !== "");
}

function dompurifyVectors(): string[] {
  const cases: unknown = JSON.parse(readFileSync(corporaPath("xss/dompurify/expect.json"), "utf8"));
  if (!Array.isArray(cases)) throw new Error("expect.json is not a list");
  return cases
    .map((entry: unknown) =>
      typeof entry === "object" && entry !== null && "payload" in entry && typeof entry.payload === "string"
        ? entry.payload
        : null,
    )
    .filter((payload): payload is string => payload !== null);
}

describe("sanitizeHtml", () => {
  it("keeps the structure of a news body and turns h1 into h2", () => {
    const html =
      "<h1>Title</h1><p>Text with <strong>bold</strong>, <em>em</em> and <sup>1</sup>.</p>" +
      "<blockquote><p>Quote</p><cite>Someone</cite></blockquote><ul><li>one</li></ul>" +
      "<table><thead><tr><th>A</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table><pre><code>x</code></pre><hr>";
    expect(sanitizeHtml(html, BASE)).toBe(
      "<h2>Title</h2><p>Text with <strong>bold</strong>, <em>em</em> and <sup>1</sup>.</p>" +
        "<blockquote><p>Quote</p><cite>Someone</cite></blockquote><ul><li>one</li></ul>" +
        "<table><thead><tr><th>A</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table><pre><code>x</code></pre><hr />",
    );
  });

  it("resolves relative links against the base URL and marks them nofollow", () => {
    expect(sanitizeHtml('<a href="../europe/x.html?a=1" title="T" target="_blank">x</a>', BASE)).toBe(
      '<a href="https://news.example/europe/x.html?a=1" title="T" rel="noopener noreferrer nofollow">x</a>',
    );
  });

  it("resolves relative images and keeps only their allowed attributes", () => {
    expect(sanitizeHtml('<img src="/img/a.jpg" alt="A" width="640" class="big" style="x" loading="lazy">', BASE)).toBe(
      '<img src="https://news.example/img/a.jpg" alt="A" width="640" />',
    );
  });

  it("keeps mailto links but drops javascript:, vbscript: and data: URLs", () => {
    const html =
      '<a href="mailto:desk@news.example">m</a><a href="javascript:alert(1)">j</a>' +
      '<a href="  JaVaScRiPt:alert(1)">k</a><a href="vbscript:msgbox(1)">v</a><img src="data:image/png;base64,AAAA">';
    expect(sanitizeHtml(html, BASE)).toBe(
      '<a href="mailto:desk@news.example" rel="noopener noreferrer nofollow">m</a><a>j</a><a>k</a><a>v</a>',
    );
  });

  it("drops scripts, styles, iframes, objects, embeds and forms together with their contents", () => {
    const html =
      "<p>keep</p><script>alert(1)</script><style>p{}</style><iframe src=x>fallback</iframe>" +
      "<object data=x>o</object><embed src=x><form><input value=secret>label</form>";
    expect(sanitizeHtml(html, BASE)).toBe("<p>keep</p>");
  });

  it("removes tracking pixels and collapses empty paragraphs", () => {
    const html =
      '<p>Body</p><p><img src="https://t.example/p.gif" width="1" height="1"></p><p> &nbsp; </p><p></p><p><br></p>';
    expect(sanitizeHtml(html, BASE)).toBe("<p>Body</p>");
  });

  it("drops relative URLs when there is no base to resolve them against", () => {
    expect(sanitizeHtml('<a href="/x">x</a><img src="/y.png">', null)).toBe("<a>x</a>");
  });

  it.each([
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    "<body onload=alert(1)>",
    "<div style=\"background:url('javascript:alert(1)')\">x</div>",
    "</scrip</script>t><img src =q onerror=prompt(8)>",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "<iframe srcdoc='<script>alert(1)</script>'></iframe>",
    '<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></object>',
    "<details open ontoggle=alert(1)>",
    '<a href="vbscript:msgbox(1)">x</a>',
    "<<script>script>alert(1)//<</script>/script>",
    '<img src="javascript:alert(1)">',
    "<video><source onerror=alert(1)></video>",
    '<form action="javascript:alert(1)"><button>x</button></form>',
    "<isindex type=image src=1 onerror=alert(1)>",
    '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
  ])("neutralizes %s", (vector) => {
    expectInert(sanitizeHtml(vector, BASE));
  });

  it.runIf(HAVE_CORPORA)("leaves no script, handler or dangerous URL in any payloadbox XSS vector", () => {
    const vectors = payloadboxVectors();
    expect(vectors.length).toBeGreaterThan(6000);
    for (const vector of vectors) expectInert(sanitizeHtml(vector, BASE));
  });

  it.runIf(HAVE_CORPORA)("leaves no script, handler or dangerous URL in any DOMPurify test payload", () => {
    const vectors = dompurifyVectors();
    expect(vectors.length).toBeGreaterThan(100);
    for (const vector of vectors) expectInert(sanitizeHtml(vector, BASE));
  });

  it.each([
    "<h1>Title</h1>\n<p>One  two&nbsp;three</p><ul><li>a<li>b</ul><p> </p>x<br>y<hr>z",
    "<table><tr><td>1</td><td>2</td></tr></table><pre>a\n  b</pre><script>no()</script>&amp;lt;",
    "<p><a><img src=x></a></p>tail <b>bold</b><i> it</i>",
  ])("writes the same plain text as htmlToText reads from its own output: %s", (html) => {
    const body = sanitizeBody(html, BASE);
    expect(body.text).toBe(htmlToText(body.html));
  });

  it("reports the first picture the body keeps, not a tracking pixel or one cut with an empty paragraph", () => {
    const html =
      '<img src="/pixel.gif" width="1" height="1"><p><a><img src="/gone.jpg"></a></p><figure><img src="/kept.jpg" alt=" A "></figure>';
    expect(sanitizeBody(html, BASE).firstImage).toEqual({ url: "https://news.example/kept.jpg", alt: "A" });
    expect(sanitizeBody("<p>No pictures</p>", BASE).firstImage).toBeNull();
  });
});

/** The deepest nesting of elements in markup we wrote (balanced, so a counter suffices). */
function maxDepth(html: string): number {
  let depth = 0;
  let deepest = 0;
  for (const [, closing, name = ""] of html.matchAll(/<(\/?)([a-z0-9]+)[^>]*>/g)) {
    if (["br", "img", "hr"].includes(name)) continue;
    depth += closing === "/" ? -1 : 1;
    deepest = Math.max(deepest, depth);
  }
  return deepest;
}

describe("sanitizeBody on hostile nesting", () => {
  // The security probe's inputs (issue 20): unclosed tags nest as deep as the input is long.
  it.each([
    ["unclosed <b><i>", "<b><i>"],
    ["unclosed table cells", "<table><tr><td>"],
    ["paragraphs inside bold, all empty", "<p><b>"],
    ["empty paragraphs cut one after another", "x<p><b></b></p>"],
  ])("sanitizes 1 MB of %s in linear time", async (_name, unit) => {
    const growth = await measureGrowth(
      (html) => sanitizeBody(html, BASE),
      (chars) => repeatTo(unit, chars),
    );
    expect(growth.largeMs).toBeLessThan(growth.boundMs);
  });

  it("closes 1 MB of unmatched end tags under deep nesting in linear time", async () => {
    const growth = await measureGrowth(
      (html) => sanitizeBody(html, BASE),
      (chars) => `${repeatTo("<b>", chars / 2)}${repeatTo("</x>", chars / 2)}`,
    );
    expect(growth.largeMs).toBeLessThan(growth.boundMs);
  });

  it("nests no deeper than the cap and keeps the text past it, still inert", () => {
    const deep = `${"<b><i>".repeat(1_000)}deep words<script>alert(1)</script><img src=x onerror=alert(1)> tail`;
    const { html, text } = sanitizeBody(`<p>start</p>${deep}`, BASE);
    expect(maxDepth(html)).toBeLessThanOrEqual(MAX_NESTING_DEPTH);
    expect(maxDepth(html)).toBeGreaterThan(MAX_NESTING_DEPTH / 2);
    expect(text).toBe("start\n\ndeep words tail");
    expect(html).not.toContain("alert");
    expectInert(html);
  });

  it("keeps a body nested within the cap as it was", () => {
    const nested = `${"<blockquote>".repeat(40)}quoted${"</blockquote>".repeat(40)}`;
    expect(sanitizeHtml(nested, BASE)).toBe(nested);
  });

  it("cuts a body past the size cap and closes what was open there", () => {
    const huge = `<p><b>${"word ".repeat(LARGE_CHARS)}</b></p><p>never reached</p>`;
    const { html, text } = sanitizeBody(huge, BASE);
    expect(html.length).toBeLessThanOrEqual(MAX_BODY_CHARS + 20);
    expect(html.endsWith("</b></p>")).toBe(true);
    expect(text).not.toContain("never reached");
  });
});
