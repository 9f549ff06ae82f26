import { decodeHTML } from "entities";

const INVISIBLE = /<!--[\s\S]*?-->|<(script|style|noscript|template|iframe|object|svg|math)\b[\s\S]*?<\/\1\s*>/gi;
// A quoted attribute value may hold ">" (`alt="a<br />b"`); quotes count only right after "=".
const TAG = /<(\/?)([a-z][a-z0-9]*|!|\?)(?:=\s*(?:"[^"]*"|'[^']*')|[^>])*>/gi;
export const BLOCKS = new Set(
  "p div section article header footer aside h1 h2 h3 h4 h5 h6 blockquote ul ol table thead tbody tr figure figcaption pre hr".split(
    " ",
  ),
);
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
  const text = flat.includes("<")
    ? flat.replace(INVISIBLE, "").replace(TAG, breakFor).replace(UNTERMINATED_TAG, "")
    : flat;
  return tidySpacing(decodeHTML(text));
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

function breakFor(_tag: string, closing: string, name: string): string {
  const lower = name.toLowerCase();
  if (BLOCKS.has(lower)) return "\n\n";
  if (lower === "br" || (closing === "/" && LINE_ENDS.has(lower))) return "\n";
  return "";
}

function spacingFor(run: string): string {
  const first = run.indexOf("\n");
  if (first === -1) return " ";
  return run.indexOf("\n", first + 1) === -1 ? "\n" : "\n\n";
}
