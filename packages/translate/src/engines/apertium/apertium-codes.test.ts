import { describe, expect, it } from "vitest";
import { fromApertiumCode, modeNameForPair, pairFromModeName, toApertiumCode } from "./apertium-codes.ts";

describe("Apertium language codes", () => {
  it("maps BCP 47 primary languages to Apertium's three-letter codes and back", () => {
    expect(toApertiumCode("en")).toBe("eng");
    expect(toApertiumCode("pt-BR")).toBe("por");
    expect(toApertiumCode("CA")).toBe("cat");
    expect(toApertiumCode("xx")).toBeUndefined();
    expect(fromApertiumCode("ukr")).toBe("uk");
    expect(fromApertiumCode("cat_valencia")).toBeUndefined();
  });

  it("reads plain mode names as pairs and leaves variant modes out", () => {
    expect(pairFromModeName("  eng-spa")).toEqual({ from: "en", to: "es" });
    expect(pairFromModeName("rus-ukr")).toEqual({ from: "ru", to: "uk" });
    expect(pairFromModeName("eng-cat_valencia")).toBeUndefined();
    expect(pairFromModeName("cat-eng_US")).toBeUndefined();
    expect(pairFromModeName("eng-xyz")).toBeUndefined();
  });

  it("names the mode for a pair", () => {
    expect(modeNameForPair("en", "ca")).toBe("eng-cat");
    expect(modeNameForPair("en", "xx")).toBeUndefined();
  });
});
