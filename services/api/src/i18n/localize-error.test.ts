import { describe, expect, it } from "vitest";
import { createErrorLocalizer, preferredLanguage } from "./localize-error.ts";

describe("preferredLanguage", () => {
  it.each([
    [undefined, "en"],
    ["es-ES,es;q=0.9,en;q=0.8", "es"],
    ["fr-FR, uk;q=0.5, es;q=0.4", "uk"],
    ["de, fr", "en"],
    ["es;q=0, uk", "uk"],
  ])("picks %s → %s", (header, lang) => {
    expect(preferredLanguage(header)).toBe(lang);
  });
});

describe("createErrorLocalizer", () => {
  const localize = createErrorLocalizer();
  it("translates known codes, carries the detail, and keeps English otherwise", () => {
    expect(localize("es", "forbidden", "A partner token cannot use this route.")).toBe(
      "Su token no permite esta operación.",
    );
    expect(localize("uk", "invalid_request", "url is required", "url is required")).toBe(
      "Запит недійсний: url is required",
    );
    expect(localize("en", "forbidden", "A partner token cannot use this route.")).toBe(
      "A partner token cannot use this route.",
    );
    expect(localize("es", "some_new_code", "Original sentence.")).toBe("Original sentence.");
  });
});
