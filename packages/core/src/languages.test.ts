import { describe, expect, it } from "vitest";
import { isLanguageTag, normalizeLanguageTag, primaryLanguage } from "./languages.ts";

describe("language tags", () => {
  it.each([
    ["EN", "en"],
    ["pt_br", "pt-BR"],
    ["zh-hant-tw", "zh-Hant-TW"],
    ["es-419", "es-419"],
  ])("normalizes %s to %s", (input, output) => {
    expect(normalizeLanguageTag(input)).toBe(output);
  });

  it.each(["", "english", "e", "es-", "<script>", "es-ESP1"])("refuses %j", (input) => {
    expect(normalizeLanguageTag(input)).toBeUndefined();
  });

  it("knows the primary subtag and what is a tag", () => {
    expect(primaryLanguage("pt-BR")).toBe("pt");
    expect(isLanguageTag("ca")).toBe(true);
    expect(isLanguageTag("CA")).toBe(false);
  });
});
