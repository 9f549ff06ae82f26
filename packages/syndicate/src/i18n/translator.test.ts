import { describe, expect, it } from "vitest";
import { RESOURCES } from "./resources.ts";
import { languageName, translator } from "./translator.ts";

const REQUIRED_KEYS = ["feed.title", "feed.description", "attribution.machine", "attribution.reviewed"];
const FEED_LANGUAGES = ["en", "es", "ca", "uk", "ru", "de", "fr"];

describe("translator", () => {
  it.each(FEED_LANGUAGES)("has every key, with the same placeholders as English, for %s", (lang) => {
    const strings = RESOURCES[lang];
    const english = RESOURCES.en;
    expect(strings && english).toBeTruthy();
    for (const key of REQUIRED_KEYS) {
      const placeholders = (text: string | undefined) => [...(text ?? "").matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]);
      expect(strings?.[key], `${lang} ${key}`).toBeTypeOf("string");
      expect(placeholders(strings?.[key]).sort()).toEqual(placeholders(english?.[key]).sort());
    }
  });

  it("titles the feed in its own language with the language's own name", () => {
    const title = (lang: string) => translator(lang)("feed.title", { language: languageName(lang, lang) });
    expect(title("en")).toBe("Babelwire — news in English");
    expect(title("es")).toBe("Babelwire — noticias en español");
    expect(title("ca")).toBe("Babelwire — notícies en català");
    expect(title("fr")).toBe("Babelwire — actualités en français");
    expect(title("de")).toBe("Babelwire — Nachrichten auf Deutsch");
  });

  it("falls back to the primary language, then to English", () => {
    expect(translator("es-MX")("feed.title", { language: "español" })).toBe("Babelwire — noticias en español");
    expect(translator("pt")("feed.title", { language: "português" })).toBe("Babelwire — news in português");
    expect(translator("pt-BR")("attribution.machine", { agency: "EFE", language: "x", url: "u" })).toBe(
      "Source: EFE. Original (x): u. Machine translation.",
    );
  });

  it("inserts values as given, leaving escaping to the renderer", () => {
    expect(translator("en")("feed.title", { language: `<b>&"'` })).toBe(`Babelwire — news in <b>&"'`);
  });

  it("serves every item of a feed from one fixed function, over strings nobody can change", () => {
    const spanish = translator("es");
    expect(translator("es")).toBe(spanish);
    expect(Object.isFrozen(spanish)).toBe(true);
    expect(translator("ca")).not.toBe(spanish);
    expect(spanish("feed.title", { language: "español" })).toBe("Babelwire — noticias en español");
    expect(Object.isFrozen(RESOURCES)).toBe(true);
    expect(Object.isFrozen(RESOURCES.es)).toBe(true);
  });
});

describe("languageName", () => {
  it("names a language in another language through Intl.DisplayNames", () => {
    expect(languageName("uk", "es")).toBe("ucraniano");
    expect(languageName("en", "ca")).toBe("anglès");
    expect(languageName("ru", "de")).toBe("Russisch");
  });

  it("shows a malformed tag as it is instead of throwing", () => {
    expect(languageName("not a tag!", "en")).toBe("not a tag!");
  });
});
