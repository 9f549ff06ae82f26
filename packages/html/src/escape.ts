/*
 * Escaping for HTML. XML output (feeds, TMX) has its own rules and stays with its writers:
 * syndicate's escapeXml also drops the characters XML 1.0 forbids and writes whitespace as
 * references so attribute normalization cannot change it, which HTML needs neither of.
 */

const MARKUP = /[&<>]/;

/** Text as HTML text: the three characters markup gives meaning to, escaped. */
export function escapeHtml(text: string): string {
  // Most text has none of them; the test spares three replace passes on every text of a body.
  if (!MARKUP.test(text)) return text;
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A value for a double-quoted attribute (or text): escapeHtml, and the quote. */
export function escapeHtmlAttribute(value: string): string {
  return escapeHtml(value).replace(/"/g, "&quot;");
}
