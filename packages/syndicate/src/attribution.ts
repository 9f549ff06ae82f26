import { languageName, type Translate, translator } from "./i18n/translator.ts";
import { escapeXml } from "./xml/escape.ts";

export interface Attributable {
  sourceName: string;
  originalUrl: string | null;
  originalLanguage: string;
  reviewed: boolean;
  /** The source's terms page (see rights.ts); absent or null when the operator gave none. */
  rightsUrl?: string | null;
  /** The source's usage terms in the operator's words; absent or null for the default sentence. */
  usageTerms?: string | null;
}

/** Stands in for the URL while the sentence is escaped, so the link can go in afterwards. */
const URL_SLOT = "\uE000";
const NO_URL = "—";

function sentence(lang: string, item: Attributable, url: string, t: Translate): string {
  return t(item.reviewed ? "attribution.reviewed" : "attribution.machine", {
    // Hostile input cannot fake the slot: the link goes where the translation put {{url}}.
    agency: item.sourceName.replaceAll(URL_SLOT, ""),
    language: languageName(item.originalLanguage, lang).replaceAll(URL_SLOT, ""),
    url,
  });
}

/**
 * Who wrote it, where the original is, and whether a person checked the translation, in the
 * feed's language, as plain text. Pass `t` when rendering many items: building one costs ~0.5 ms.
 */
export function attributionText(lang: string, item: Attributable, t: Translate = translator(lang)): string {
  return sentence(lang, item, item.originalUrl ?? NO_URL, t);
}

/** The attribution as the closing paragraph of an item's HTML, the original URL a link when it is http(s). */
export function attributionHtml(lang: string, item: Attributable, t: Translate = translator(lang)): string {
  const text = escapeXml(sentence(lang, item, URL_SLOT, t));
  return `<p class="babelwire-attribution">${text.replace(URL_SLOT, () => originalLink(item.originalUrl))}</p>`;
}

function originalLink(url: string | null): string {
  if (url === null) return NO_URL;
  // A javascript: or data: "original" must not become a clickable link on a partner's site.
  if (!isWebUrl(url)) return escapeXml(url);
  return `<a href="${escapeXml(url)}">${escapeXml(url)}</a>`;
}

function isWebUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === "https:" || protocol === "http:";
  } catch {
    return false;
  }
}
