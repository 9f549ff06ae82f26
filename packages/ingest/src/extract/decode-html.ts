import iconv from "iconv-lite";
import { charsetFromContentType, detectCharset } from "../decode/detect-charset.ts";

// Browsers look for the <meta> charset in the first 1024 bytes; so do we.
const PRESCAN_BYTES = 1024;
const META_CHARSET = /<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([\w.:-]+)/i;

/**
 * Turns a web page's bytes into a string with the feed decoder's rules (a byte order mark
 * first, then valid UTF-8 whatever the labels say, then the label, then windows-1252), where
 * the label is the HTTP charset or else the page's own `<meta charset>` or
 * `<meta http-equiv="Content-Type" content="…; charset=…">`.
 */
export function decodeHtml(bytes: Buffer, contentType: string | null): string {
  const label = charsetFromContentType(contentType) ?? metaCharset(bytes);
  return iconv.decode(bytes, detectCharset(bytes, label ? `text/html; charset=${label}` : null), { stripBOM: true });
}

function metaCharset(bytes: Buffer): string | undefined {
  // The prescan is ASCII in every ASCII-compatible charset, so latin1 reads it safely.
  return bytes.subarray(0, PRESCAN_BYTES).toString("latin1").match(META_CHARSET)?.[1];
}
