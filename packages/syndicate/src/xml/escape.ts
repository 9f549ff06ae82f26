/*
 * XML escaping stays here, beside the feed writers, not in @babelwire/html: it is XML's own
 * rules (characters XML 1.0 forbids dropped, whitespace written as references so attribute
 * normalization cannot change it, CDATA sections), which HTML text needs none of.
 */

/** Characters XML 1.0 forbids: C0 controls but tab, LF and CR; U+FFFE/U+FFFF; lone surrogates. */
const INVALID_XML =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function stripInvalidXmlChars(text: string): string {
  return text.replace(INVALID_XML, "");
}

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
  // Parsers turn raw CR into LF, and tabs and newlines in attributes into spaces; references survive both.
  "\t": "&#9;",
  "\n": "&#10;",
  "\r": "&#13;",
};

/** Text or attribute value, safe anywhere in an XML document, and read back exactly as given. */
export function escapeXml(text: string): string {
  return stripInvalidXmlChars(text).replace(/[&<>"'\t\n\r]/g, (char) => ESCAPES[char] ?? char);
}

/** A CDATA section that hostile content cannot close early: every `]]>` is split across two sections. */
export function cdata(text: string): string {
  return `<![CDATA[${stripInvalidXmlChars(text).replaceAll("]]>", "]]]]><![CDATA[>")}]]>`;
}
