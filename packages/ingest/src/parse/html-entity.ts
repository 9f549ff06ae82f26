import { decodeHTMLStrict } from "entities";

// HTML 4 and HTML5 disagree on these two; feeds were written against HTML 4 (and feedparser,
// like the sax parser we used before, reads them so).
const HTML4_ONLY: Record<string, string> = { lang: "\u2329", rang: "\u232a" };

/**
 * The text of an HTML named entity (`nbsp` → U+00A0), null when HTML has no such entity. Feeds
 * written by HTML templates use them although XML defines only five.
 */
export function htmlEntity(name: string): string | null {
  const html4 = HTML4_ONLY[name];
  if (html4 !== undefined) return html4;
  const reference = `&${name};`;
  const decoded = decodeHTMLStrict(reference);
  return decoded === reference ? null : decoded;
}
