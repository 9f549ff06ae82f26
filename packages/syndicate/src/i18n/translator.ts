import { primaryLanguage } from "@babelwire/core";
import i18next from "i18next";
import { RESOURCES } from "./resources.ts";

export type Translate = (key: string, vars?: Record<string, string>) => string;

/**
 * A translate function for one output language, falling back to its primary language
 * (`pt-BR` → `pt`) and then to English. Each call builds its own i18next instance, so no
 * caller can change the strings another caller sees; build one per rendering, not per string.
 * Values are plain text: the renderers escape them for their format.
 */
export function translator(lang: string): Translate {
  const instance = i18next.createInstance();
  void instance.init({
    lng: lang,
    fallbackLng: [primaryLanguage(lang), "en"],
    resources: Object.fromEntries(Object.entries(RESOURCES).map(([lng, strings]) => [lng, { translation: strings }])),
    initAsync: false,
    interpolation: { escapeValue: false },
  });
  const t = instance.t;
  return Object.freeze((key: string, vars?: Record<string, string>) => String(t(key, vars ?? {})));
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
