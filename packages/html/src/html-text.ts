import { decodeHTML } from "entities";
import { Parser } from "htmlparser2";
import { BLOCK_ELEMENTS } from "./block-elements.ts";
import { escapeHtml } from "./escape.ts";

// Where comments and elements whose content is never shown begin; removeInvisible finds their ends.
const INVISIBLE_START = /<!--|<(script|style|noscript|template|iframe|object|svg|math)\b/gi;
const INVISIBLE_END = new Map(
  ["script", "style", "noscript", "template", "iframe", "object", "svg", "math"].map((name) => [
    name,
    new RegExp(`</${name}\\s*>`, "gi"),
  ]),
);
// A quoted attribute value may hold ">" (`alt="a<br />b"`); quotes count only right after "=".
// Name and attributes are matched inside lookaheads, which JavaScript never backtracks into:
// without that, a tag that never closes (`<a x="1" x="1" …`) would take exponential time.
const TAG = /<(\/?)(?=([a-z][a-z0-9]*|!|\?))\2(?=((?:=\s*(?:"[^"]*"|'[^']*')|[^>])*))\3>/gi;
export const LINE_ENDS = new Set(["li", "td", "th"]);
const SPACING = /[ \n]*\n[ \n]*| {2,}/g;
// A tag still open when the input ends is dropped by browsers (EOF in a tag), not shown as text.
const UNTERMINATED_TAG = /<[a-z!/?][^>]*$/i;

/**
 * Plain text of an HTML fragment, paragraphs separated by a blank line. Written with regular
 * expressions, not a DOM, because it runs on every item of every poll; its output is text
 * (escaped by every renderer), so a malformed tag can cost readability, never safety.
 */
export function htmlToText(html: string): string {
  // Newlines in the source are mere spaces in HTML; only tags make line and paragraph breaks.
  const flat = html.replace(/\s+/g, " ");
  return tidySpacing(decodeHTML(flat.includes("<") ? withoutMarkup(flat) : flat));
}

function withoutMarkup(html: string): string {
  const visible = removeInvisible(html);
  // No tag ends after the last ">": tags are looked for before it only, so that each "<" of a
  // hostile run of unclosed tags is not scanned to the end of the text (quadratic time).
  const lastEnd = visible.lastIndexOf(">") + 1;
  const tail = visible.slice(lastEnd).replace(UNTERMINATED_TAG, "");
  return visible.slice(0, lastEnd).replace(TAG, breakFor) + tail;
}

/**
 * Comments, scripts, styles and the like, with their content. An opening without its end stays
 * as it is (its tag is dropped as any other); once one kind has no end after some point, no
 * later opening of that kind is searched for it again, which keeps the time linear.
 */
function removeInvisible(html: string): string {
  let visible = "";
  let done = 0;
  const unclosed = new Set<string>();
  INVISIBLE_START.lastIndex = 0;
  for (let start = INVISIBLE_START.exec(html); start !== null; start = INVISIBLE_START.exec(html)) {
    const kind = start[1]?.toLowerCase() ?? "!--";
    if (unclosed.has(kind)) continue;
    const end = invisibleEnd(html, kind, start.index + start[0].length);
    if (end === -1) {
      unclosed.add(kind);
      continue;
    }
    visible += html.slice(done, start.index);
    done = end;
    INVISIBLE_START.lastIndex = end;
  }
  return done === 0 ? html : visible + html.slice(done);
}

function invisibleEnd(html: string, kind: string, from: number): number {
  if (kind === "!--") {
    const end = html.indexOf("-->", from);
    return end === -1 ? -1 : end + 3;
  }
  const closing = INVISIBLE_END.get(kind);
  if (!closing) return -1;
  closing.lastIndex = from;
  return closing.exec(html) === null ? -1 : closing.lastIndex;
}

/** Runs of spaces and newlines as a reader sees them: one space, a line break or a paragraph break. */
export function tidySpacing(text: string): string {
  return text.replace(SPACING, spacingFor).trim();
}

/** Plain text on one line: for titles and summaries. */
export function htmlToLine(html: string): string {
  // Most titles are words and nothing else: the same result without the HTML passes.
  if (!html.includes("<") && !html.includes("&")) return html.replace(/\s+/g, " ").trim();
  return htmlToText(html).replace(/\s+/g, " ");
}

/**
 * Every text node of an HTML fragment on one line, entities decoded, as a browser's tokenizer
 * reads it: for an engine's html-mode output of a plain-text segment (a title, a lead), where
 * nothing is invisible and no paragraph breaks are wanted. Unlike htmlToLine it keeps the text
 * of scripts and styles. htmlparser2 reads it in one pass (a regular expression took quadratic
 * time on unclosed tags: 10 s on 200 KB of `<a x `).
 */
export function textNodesToLine(html: string): string {
  let text = "";
  const parser = new Parser(
    {
      ontext(chunk) {
        text += chunk;
      },
    },
    { decodeEntities: true },
  );
  parser.end(html);
  return text.replace(/\s+/g, " ").trim();
}

/**
 * Plain text a feed gives as the body (JSON Feed's `content_text`, Yandex's `yandex:full-text`)
 * as HTML paragraphs, escaped: blank lines part paragraphs. A single newline is a `<br>`, or,
 * with `linePerParagraph`, a paragraph of its own (Yandex's feeds put one paragraph a line).
 */
export function textToHtml(text: string, options: { linePerParagraph?: boolean } = {}): string {
  const paragraphs = escapeHtml(text)
    .split(options.linePerParagraph ? /\n+/ : /\n{2,}/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph !== "");
  return paragraphs.map((paragraph) => `<p>${paragraph.replace(/\n/g, "<br>")}</p>`).join("");
}

function breakFor(_tag: string, closing: string, name: string): string {
  const lower = name.toLowerCase();
  if (BLOCK_ELEMENTS.has(lower)) return "\n\n";
  if (lower === "br" || (closing === "/" && LINE_ENDS.has(lower))) return "\n";
  return "";
}

function spacingFor(run: string): string {
  const first = run.indexOf("\n");
  if (first === -1) return " ";
  return run.indexOf("\n", first + 1) === -1 ? "\n" : "\n\n";
}
