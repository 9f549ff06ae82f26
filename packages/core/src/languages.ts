/**
 * BCP 47 language tags as Babelwire stores and serves them: lower-case primary subtag,
 * optional region upper-cased (`pt-BR`). Validation is deliberately structural, not a
 * registry lookup: engines decide which languages they can actually serve.
 */
const TAG = /^[a-z]{2,3}(-[A-Za-z]{4})?(-([A-Za-z]{2}|[0-9]{3}))?$/;

export function isLanguageTag(value: string): boolean {
  return TAG.test(value);
}

export function normalizeLanguageTag(value: string): string | undefined {
  const [primary = "", ...rest] = value.trim().replace(/_/g, "-").split("-");
  const parts = [primary.toLowerCase()];
  for (const part of rest) {
    parts.push(part.length === 4 ? part.charAt(0).toUpperCase() + part.slice(1).toLowerCase() : part.toUpperCase());
  }
  const tag = parts.join("-");
  return TAG.test(tag) ? tag : undefined;
}

/** The primary language subtag: `pt` for `pt-BR`. */
export function primaryLanguage(tag: string): string {
  return tag.split("-")[0]?.toLowerCase() ?? tag;
}
