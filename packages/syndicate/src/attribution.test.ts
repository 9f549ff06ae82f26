import { describe, expect, it } from "vitest";
import { type Attributable, attributionHtml, attributionText } from "./attribution.ts";

const ukrinform: Attributable = {
  sourceName: "Ukrinform",
  originalUrl: "https://www.ukrinform.net/rubric-polytics/3925071.html?a=1&b=2",
  originalLanguage: "uk",
  reviewed: false,
};

describe("attributionText", () => {
  it("credits agency, original language and URL, and says the translation is machine-made", () => {
    expect(attributionText("en", ukrinform)).toBe(
      "Source: Ukrinform. Original (Ukrainian): https://www.ukrinform.net/rubric-polytics/3925071.html?a=1&b=2. Machine translation.",
    );
    expect(attributionText("es", ukrinform)).toBe(
      "Fuente: Ukrinform. Original (ucraniano): https://www.ukrinform.net/rubric-polytics/3925071.html?a=1&b=2. Traducción automática.",
    );
  });

  it("says an editor reviewed it when one did", () => {
    const reviewed = { ...ukrinform, reviewed: true };
    expect(attributionText("en", reviewed)).toMatch(/Translated and reviewed by an editor\.$/);
    expect(attributionText("ca", reviewed)).toMatch(
      /^Font: Ukrinform\. Original \(ucraïnès\): .*Traduït i revisat per un editor\.$/,
    );
    expect(attributionText("ca", ukrinform)).toMatch(/Traducció automàtica\.$/);
  });

  it("uses English for a feed language without strings, naming the original in that language", () => {
    expect(attributionText("pt-BR", ukrinform)).toMatch(
      /^Source: Ukrinform\. Original \(ucraniano\): .*Machine translation\.$/,
    );
  });

  it("puts a dash where there is no original URL", () => {
    expect(attributionText("en", { ...ukrinform, originalUrl: null })).toBe(
      "Source: Ukrinform. Original (Ukrainian): —. Machine translation.",
    );
  });
});

describe("attributionHtml", () => {
  it("is a paragraph with the original URL as an escaped link", () => {
    expect(attributionHtml("en", ukrinform)).toBe(
      '<p class="babelwire-attribution">Source: Ukrinform. Original (Ukrainian): ' +
        '<a href="https://www.ukrinform.net/rubric-polytics/3925071.html?a=1&amp;b=2">' +
        "https://www.ukrinform.net/rubric-polytics/3925071.html?a=1&amp;b=2</a>. Machine translation.</p>",
    );
  });

  it("escapes a hostile agency name and does not link a non-web URL", () => {
    const html = attributionHtml("en", {
      ...ukrinform,
      sourceName: '<img src=x onerror="alert(1)">\uE000',
      originalUrl: "javascript:alert(1)",
    });
    expect(html).toBe(
      '<p class="babelwire-attribution">Source: &lt;img src=x onerror=&quot;alert(1)&quot;&gt;. ' +
        "Original (Ukrainian): javascript:alert(1). Machine translation.</p>",
    );
  });
});
