import { Tokenizer } from "htmlparser2";

/*
 * A tolerant tokenizer for html that our allowlist sanitizer produced: tags (with quoted
 * attributes that may contain `>`), comments and the text between them. Enough to find
 * block boundaries without building a DOM. htmlparser2's tokenizer reads it in one pass, whatever
 * the input (a regular expression took quadratic time on unclosed tags: 37 s on 200 KB of
 * `<a x `); its tokenizer rather than its parser, as every tag written counts (a stray `</p>`
 * too) and none is made up. Tokens are cut from the input by position, so joined they give it
 * back exactly; what the tokenizer does not report (a tag cut off at the end) is text.
 */
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
  let cursor = 0;
  let opening: { start: number; name: string } | undefined;
  /** Everything between the last token and `start` is text, joined to text before it (not to a comment). */
  const textUpTo = (start: number) => {
    if (start <= cursor) return;
    const raw = html.slice(cursor, start);
    const last = tokens.at(-1);
    if (last?.kind === "text" && !last.raw.startsWith("<!--")) last.raw += raw;
    else tokens.push({ kind: "text", raw });
    cursor = start;
  };
  const push = (token: HtmlToken, start: number) => {
    textUpTo(start);
    tokens.push(token);
    cursor = start + token.raw.length;
  };
  const open = (end: number, selfClosing: boolean) => {
    if (!opening) return;
    const raw = html.slice(opening.start, end + 1);
    push(
      { kind: "open", raw, name: opening.name, selfClosing: selfClosing || VOID_ELEMENTS.has(opening.name) },
      opening.start,
    );
    opening = undefined;
  };
  const ignore = () => undefined;
  const tokenizer = new Tokenizer(
    { decodeEntities: false },
    {
      onopentagname(start, end) {
        opening = { start: start - 1, name: html.slice(start, end).toLowerCase() };
      },
      onopentagend: (end) => open(end, false),
      onselfclosingtag: (end) => open(end, true),
      onclosetag(start, end) {
        // The name ends the tag's reading; its `>` may follow after spaces. Searching on from here keeps one pass.
        const close = html.indexOf(">", end);
        if (close < 0) return;
        push(
          { kind: "close", raw: html.slice(start - 2, close + 1), name: html.slice(start, end).toLowerCase() },
          start - 2,
        );
      },
      oncomment(start, end) {
        // Comments travel as text, as they always did: nothing translates them, nothing splits them.
        // `<!--` is four characters before the content, a bogus comment (`<!x>`) fewer.
        const from = html.lastIndexOf("<", start - 1);
        if (from >= cursor) push({ kind: "text", raw: html.slice(from, end + 1) }, from);
      },
      ontext: ignore,
      ontextentity: ignore,
      onattribdata: ignore,
      onattribentity: ignore,
      onattribend: ignore,
      onattribname: ignore,
      oncdata: ignore,
      ondeclaration: ignore,
      onprocessinginstruction: ignore,
      onend: ignore,
    },
  );
  tokenizer.write(html);
  tokenizer.end();
  textUpTo(html.length);
  return tokens;
}
