/**
 * Characters no stored text may hold: NUL (PostgreSQL's `text` and `jsonb` refuse it) and
 * unpaired UTF-16 surrogates (they have no UTF-8 encoding). Lookarounds only: linear time.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding NUL is the point.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const UNSTORABLE_TEST = new RegExp(UNSTORABLE.source);

export function hasUnstorableText(text: string): boolean {
  return UNSTORABLE_TEST.test(text);
}

/** The text without the characters it could not be stored with. */
export function stripUnstorableText(text: string): string {
  return hasUnstorableText(text) ? text.replace(UNSTORABLE, "") : text;
}
