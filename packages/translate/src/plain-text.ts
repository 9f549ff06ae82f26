import { Parser } from "htmlparser2";

/** Plain text as an HTML fragment, so titles travel through an engine's html mode with the body. */
export function textToHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * An engine's html-mode output for a plain-text segment, back to plain text: its text with
 * entities decoded, tags dropped, spaces collapsed. htmlparser2 reads it in one pass (a regular
 * expression took quadratic time on unclosed tags: 10 s on 200 KB of `<a x `).
 */
export function htmlToText(html: string): string {
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
