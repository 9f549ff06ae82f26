import { isUtf8 } from "node:buffer";
import iconv from "iconv-lite";

/**
 * Picks the charset to decode a feed with. A byte order mark is unambiguous, so it comes
 * first; then bytes that are valid UTF-8 are read as UTF-8 whatever the labels say (a legacy
 * 8-bit text is almost never valid UTF-8 by accident, while feeds labelled ISO-8859-1 that are
 * really UTF-8 are common); then the HTTP Content-Type charset; then the XML declaration.
 */
export function detectCharset(bytes: Buffer, contentType: string | null): string {
  return (
    byteOrderMark(bytes) ??
    utf16WithoutBom(bytes) ??
    (isUtf8(bytes) ? "utf-8" : undefined) ??
    // From here on the bytes are not valid UTF-8, so a label saying they are is wrong.
    notUtf8(knownCharset(charsetFromContentType(contentType))) ??
    notUtf8(knownCharset(charsetFromDeclaration(bytes))) ??
    // Unlabelled bytes that are not UTF-8 are, in practice, a Western legacy encoding.
    "windows-1252"
  );
}

function byteOrderMark(bytes: Buffer): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return "utf-8";
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return "utf-16le";
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return "utf-16be";
  return undefined;
}

/** `<?` encoded as UTF-16 without a BOM; such bytes also pass as valid UTF-8, hence the early check. */
function utf16WithoutBom(bytes: Buffer): string | undefined {
  if (bytes[0] === 0x3c && bytes[1] === 0x00 && bytes[2] === 0x3f && bytes[3] === 0x00) return "utf-16le";
  if (bytes[0] === 0x00 && bytes[1] === 0x3c && bytes[2] === 0x00 && bytes[3] === 0x3f) return "utf-16be";
  return undefined;
}

export function charsetFromContentType(contentType: string | null): string | undefined {
  return contentType?.match(/charset\s*=\s*["']?([^"';\s]+)/i)?.[1];
}

function charsetFromDeclaration(bytes: Buffer): string | undefined {
  // The declaration is ASCII in every ASCII-compatible charset, so latin1 reads it safely.
  const head = bytes.subarray(0, 200).toString("latin1");
  return head.match(/^\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']+)["']/)?.[1];
}

function notUtf8(charset: string | undefined): string | undefined {
  return charset === "utf-8" || charset === "utf8" ? undefined : charset;
}

function knownCharset(label: string | undefined): string | undefined {
  if (label === undefined) return undefined;
  const name = label.trim().toLowerCase();
  // As browsers do: text labelled Latin-1 or ASCII is read as windows-1252, which only differs
  // in 0x80–0x9F where feeds from Windows tools put curly quotes and dashes.
  if (["iso-8859-1", "iso8859-1", "latin1", "latin-1", "us-ascii", "ascii"].includes(name)) return "windows-1252";
  return iconv.encodingExists(name) ? name : undefined;
}
