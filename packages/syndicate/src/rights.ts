import type { Attributable } from "./attribution.ts";
import type { Translate } from "./i18n/translator.ts";
import { webUrl } from "./links/web-url.ts";

/** What a partner may do with an item, as every output format states it. */
export interface Rights {
  /** The agency: it holds the copyright in the original, and the translation is made under its licence. */
  holder: string;
  /** `© <year of the original> <agency>`. */
  notice: string;
  /** The source's usage terms, or the default sentence in the feed's language. */
  terms: string;
  /** The agency's terms page when the operator gave one and it is http(s); otherwise null. */
  url: string | null;
}

/**
 * The rights statement of one item. Partners license items through Babelwire, but the text is
 * still the agency's: the holder is the agency, the year is the original's, and the terms are
 * the operator's for that source (its agreement with the agency) or a default that says what
 * every partner contract says.
 */
export function rightsOf(item: Attributable & { publishedAt: Date }, t: Translate): Rights {
  const holder = item.sourceName;
  return {
    holder,
    notice: `© ${item.publishedAt.getUTCFullYear()} ${holder}`,
    terms: item.usageTerms?.trim() || t("rights.terms", { agency: holder }),
    url: webUrl(item.rightsUrl ?? null),
  };
}

/** Notice and terms as one line, for formats with a single rights field (RSS dc:rights, Atom rights). */
export function rightsLine(rights: Rights): string {
  return `${rights.notice}. ${rights.terms}${rights.url ? ` ${rights.url}` : ""}`;
}
