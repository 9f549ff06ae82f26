import { languageName, translator } from "./i18n/translator.ts";

export interface Attributable {
  sourceName: string;
  originalUrl: string | null;
  originalLanguage: string;
  reviewed: boolean;
}

/** Who wrote it, where the original is, and whether a person checked the translation: in the feed's language. */
export function attributionText(lang: string, item: Attributable): string {
  const t = translator(lang);
  return t(item.reviewed ? "attribution.reviewed" : "attribution.machine", {
    agency: item.sourceName,
    language: languageName(item.originalLanguage, lang),
    url: item.originalUrl ?? "—",
  });
}
