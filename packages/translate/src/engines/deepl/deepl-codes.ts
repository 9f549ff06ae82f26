import { primaryLanguage } from "@babelwire/core";

/**
 * DeepL's source codes have no variant (`EN`, `PT`); its targets do where the written
 * language differs (`EN-GB`/`EN-US`, `PT-BR`/`PT-PT`, `ZH-HANS`/`ZH-HANT`, `ES-419`).
 * A plain BCP 47 tag takes the variant CLDR deems likely (`en` → `EN-US`, `pt` → `PT-BR`).
 */
export function toDeeplSource(tag: string): string {
  return primaryLanguage(tag).toUpperCase();
}

const TARGET_RULES: Readonly<Record<string, (subtags: string[]) => string>> = {
  en: (subtags) => (subtags.length === 0 || subtags.includes("US") ? "EN-US" : "EN-GB"),
  pt: (subtags) => (subtags.length === 0 || subtags.includes("BR") ? "PT-BR" : "PT-PT"),
  zh: (subtags) => (subtags.some((part) => ["HANT", "TW", "HK", "MO"].includes(part)) ? "ZH-HANT" : "ZH-HANS"),
  es: (subtags) => (subtags.includes("419") ? "ES-419" : "ES"),
};

/** The DeepL target code for a BCP 47 tag: `en-GB` → `EN-GB`, `en-AU` → `EN-GB`, `pt` → `PT-BR`, `de-AT` → `DE`. */
export function toDeeplTarget(tag: string): string {
  const [primary = "", ...rest] = tag.split("-");
  const language = primary.toLowerCase();
  const rule = TARGET_RULES[language];
  return rule ? rule(rest.map((part) => part.toUpperCase())) : language.toUpperCase();
}

/** A DeepL code (any case) as BCP 47: `EN-GB` → `en-GB`, `ZH-HANS` → `zh-Hans`, `ES-419` → `es-419`. */
export function fromDeeplCode(code: string): string {
  const [primary = "", variant] = code.split("-");
  if (!variant) return primary.toLowerCase();
  const region = variant.length === 4 ? variant.charAt(0).toUpperCase() + variant.slice(1).toLowerCase() : variant;
  return `${primary.toLowerCase()}-${variant.length === 4 ? region : variant.toUpperCase()}`;
}
