import { describe, expect, it } from "vitest";
import { describePairs, unreachableTargets } from "./reachable-targets.ts";

const apertium = [
  { from: "en", to: "es" },
  { from: "en", to: "ca" },
  { from: "es", to: "ca" },
  { from: "ru", to: "uk" },
];

describe("unreachableTargets", () => {
  it("names the targets no engine reaches from the source's language, straight or through English", () => {
    expect(unreachableTargets([apertium], "en", ["es", "ca", "de"])).toEqual(["de"]);
    // es→ca straight; uk from en has no route (no en→uk, no ru from en).
    expect(unreachableTargets([apertium], "es", ["ca", "uk"])).toEqual(["uk"]);
    // The source's own language needs no engine.
    expect(unreachableTargets([apertium], "es", ["es-MX"])).toEqual([]);
  });

  it("takes any language as the source when it is detected per item", () => {
    expect(unreachableTargets([apertium], null, ["uk", "de"])).toEqual(["de"]);
  });

  it("counts a target reachable when any engine of the chain reaches it", () => {
    const llm = [{ from: "*", to: "*" }];
    expect(unreachableTargets([apertium, llm], "en", ["de"])).toEqual([]);
  });
});

describe("describePairs", () => {
  it("lists each pair once, sorted, cut at a maximum", () => {
    expect(describePairs([apertium, [{ from: "en", to: "es" }]])).toBe("en→ca, en→es, es→ca, ru→uk");
    expect(describePairs([apertium], 2)).toBe("en→ca, en→es and 2 more");
    expect(describePairs([])).toBe("none");
  });
});
