/*
 * A tolerant tokenizer for html that our allowlist sanitizer produced: tags (with quoted
 * attributes that may contain `>`), comments and the text between them. Enough to find
 * block boundaries without building a DOM.
 */
const TOKEN = /<!--[\s\S]*?-->|<(\/?)([a-zA-Z][a-zA-Z0-9-]*)(?:[^>"']|"[^"]*"|'[^']*')*>/g;

const VOID_ELEMENTS = new Set([
  "area",
  "base",
  "br",
  "col",
  "embed",
  "hr",
  "img",
  "input",
  "link",
  "meta",
  "source",
  "track",
  "wbr",
]);

export type HtmlToken =
  | { kind: "text"; raw: string }
  | { kind: "open"; raw: string; name: string; selfClosing: boolean }
  | { kind: "close"; raw: string; name: string };

export function tokenizeHtml(html: string): HtmlToken[] {
  const tokens: HtmlToken[] = [];
  let last = 0;
  for (const match of html.matchAll(TOKEN)) {
    if (match.index > last) tokens.push({ kind: "text", raw: html.slice(last, match.index) });
    const raw = match[0];
    const name = match[2]?.toLowerCase();
    if (!name) tokens.push({ kind: "text", raw });
    else if (match[1]) tokens.push({ kind: "close", raw, name });
    else tokens.push({ kind: "open", raw, name, selfClosing: VOID_ELEMENTS.has(name) || raw.endsWith("/>") });
    last = match.index + raw.length;
  }
  if (last < html.length) tokens.push({ kind: "text", raw: html.slice(last) });
  return tokens;
}
