import { describe, expect, it } from "vitest";
import { hasUnstorableText, stripUnstorableText } from "./text.ts";

describe("text no database can store", () => {
  it("finds NUL and unpaired surrogates and leaves paired ones (emoji) alone", () => {
    expect(hasUnstorableText("a\u0000b")).toBe(true);
    expect(hasUnstorableText("a\ud800b")).toBe(true);
    expect(hasUnstorableText("a\udc00")).toBe(true);
    expect(hasUnstorableText("Київ 🇺🇦")).toBe(false);
    expect(stripUnstorableText("K\u0000yiv\ud800 🇺🇦\udfff")).toBe("Kyiv 🇺🇦");
  });
});
