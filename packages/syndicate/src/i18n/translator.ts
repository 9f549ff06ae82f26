import { primaryLanguage } from "@babelwire/core";
import i18next, { type TFunction } from "i18next";
import { RESOURCES } from "./resources.ts";

export type Translate = (key: string, vars?: Record<string, string>) => string;

const resources = Object.fromEntries(
  Object.entries(RESOURCES).map(([lng, strings]) => [lng, { translation: strings }]),
);
const cache = new Map<string, TFunction>();

/**
 * A translate function for one output language, falling back to its primary language and
 * then to English. One i18next instance per language, created on first use and never
 * changed afterwards. Values are plain text: the renderers escape them for their format.
 */
export function translator(lang: string): Translate {
  let t = cache.get(lang);
  if (!t) {
    const instance = i18next.createInstance();
    void instance.init({
      lng: lang,
      fallbackLng: [primaryLanguage(lang), "en"],
      resources,
      initAsync: false,
      interpolation: { escapeValue: false },
    });
    t = instance.t;
    cache.set(lang, t);
  }
  const bound = t;
  return (key, vars) => bound(key, vars ?? {}) as string;
}

/** A language's name in another language: `español` for es in es, `Spanish` for es in en. */
export function languageName(lang: string, inLanguage: string): string {
  try {
    return new Intl.DisplayNames([inLanguage, "en"], { type: "language" }).of(lang) ?? lang;
  } catch {
    return lang;
  }
}
