import { primaryLanguage } from "@babelwire/core";
import i18next, { type i18n } from "i18next";
import { RESOURCES } from "./resources.ts";

export type Translate = (key: string, vars?: Record<string, string>) => string;

/**
 * The one i18next instance of the process, read-only: the strings are frozen, nothing outside
 * this file can reach it, and every language's function is a fixed view of it (getFixedT).
 * Building and initialising an instance per call cost about a millisecond per feed item.
 */
let shared: i18n | undefined;
/** Fixed functions by language; feeds speak a handful of languages, so this stays small. */
const fixed = new Map<string, Translate>();
const MAX_FIXED = 256;

function instance(): i18n {
  if (!shared) {
    shared = i18next.createInstance();
    void shared.init({
      lng: "en",
      // `pt-BR` → `pt` → English, whatever the language asked for.
      fallbackLng: (code: string) => [primaryLanguage(code), "en"],
      resources: Object.fromEntries(Object.entries(RESOURCES).map(([lng, strings]) => [lng, { translation: strings }])),
      initAsync: false,
      interpolation: { escapeValue: false },
    });
  }
  return shared;
}

/**
 * A translate function for one output language, falling back to its primary language
 * (`pt-BR` → `pt`) and then to English. Values are plain text: the renderers escape them for
 * their format.
 */
export function translator(lang: string): Translate {
  let t = fixed.get(lang);
  if (!t) {
    const view = instance().getFixedT(lang);
    t = Object.freeze((key: string, vars?: Record<string, string>) => String(view(key, vars ?? {})));
    if (fixed.size >= MAX_FIXED) fixed.clear();
    fixed.set(lang, t);
  }
  return t;
}

/** A language's name in another language: `español` for es in es, `Spanish` for es in en. */
export function languageName(lang: string, inLanguage: string): string {
  try {
    return new Intl.DisplayNames([inLanguage, "en"], { type: "language" }).of(lang) ?? lang;
  } catch {
    // A malformed tag from a partner's URL or a source row: show it as it is rather than fail the feed.
    return lang;
  }
}
