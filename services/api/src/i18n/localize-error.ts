import i18next, { type TFunction } from "i18next";
import { ERROR_MESSAGES } from "./error-messages.ts";

const LANGUAGES = Object.keys(ERROR_MESSAGES);

/** The first language of an Accept-Language header that we have messages for, by quality. */
export function preferredLanguage(header: string | undefined): string {
  const ranked = (header ?? "")
    .split(",")
    .map((part, index) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = Number(
        params
          .find((param) => param.trim().startsWith("q="))
          ?.trim()
          .slice(2) ?? 1,
      );
      return { primary: tag.trim().toLowerCase().split("-")[0] ?? "", q: Number.isFinite(q) ? q : 0, index };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranked.find((entry) => LANGUAGES.includes(entry.primary))?.primary ?? "en";
}

/**
 * Builds the message translator of the error handler: one i18next instance, made when the API
 * starts. A code without a translated message keeps the message the error was raised with.
 */
export function createErrorLocalizer(): (lang: string, code: string, fallback: string, detail?: string) => string {
  const instance = i18next.createInstance();
  void instance.init({
    resources: Object.fromEntries(
      Object.entries(ERROR_MESSAGES).map(([lng, strings]) => [lng, { translation: strings }]),
    ),
    fallbackLng: "en",
    initAsync: false,
    interpolation: { escapeValue: false },
  });
  const t: TFunction = instance.t;
  return (lang, code, fallback, detail) => {
    if (lang === "en" || !ERROR_MESSAGES[lang]?.[code]) return fallback;
    return t(code, { lng: lang, detail: detail ?? fallback }) as string;
  };
}
