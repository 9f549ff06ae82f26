import iconv from "iconv-lite";
import { detectCharset } from "./detect-charset.ts";
import { replaceC1Controls } from "./windows-1252-controls.ts";

// C0 controls other than tab, LF and CR, and the two noncharacters, are not allowed anywhere
// in an XML 1.0 document; one stray byte would otherwise fail the whole feed.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this pattern's job.
const ILLEGAL_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: as above.
const ILLEGAL_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
const DECLARATION_ENCODING = /^(\s*<\?xml[^>]*?encoding\s*=\s*)(["'])([^"']*)\2/;

/**
 * Turns a feed's bytes into a JS string. The declaration's encoding is rewritten to UTF-8:
 * the bytes are decoded already, and a stale `encoding="…"` must not make a later consumer
 * that honours it decode the text a second time.
 */
export function decodeFeed(bytes: Buffer, contentType: string | null): string {
  const text = iconv.decode(bytes, detectCharset(bytes, contentType), { stripBOM: true });
  // replace() copies the document even when nothing matches; the test does not.
  const legal = replaceC1Controls(ILLEGAL_XML_CHAR.test(text) ? text.replace(ILLEGAL_XML_CHARS, "") : text);
  // Rewriting copies the whole document: a declaration that already says UTF-8 is left as it is.
  if (DECLARATION_ENCODING.exec(legal)?.[3] === "UTF-8") return legal;
  return legal.replace(DECLARATION_ENCODING, "$1$2UTF-8$2");
}
