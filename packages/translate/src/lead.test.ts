import { describe, expect, it } from "vitest";
import { leadOf } from "./lead.ts";

const BODY =
  "Russia is providing North Korea with military technology. NATO chief Mark Rutte said this in Budapest. " +
  "He spoke before the summit of the European Political Community. The Allies will meet again in spring.";

describe("leadOf", () => {
  it("keeps the agency's own summary", () => {
    const article = {
      summary: "Rutte warns of Russia's help to North Korea.",
      abstract: "x",
      content_text: BODY,
      language: "en",
    };
    expect(leadOf(article)).toBe("Rutte warns of Russia's help to North Korea.");
  });

  it("prefers the abstract to the body's opening cut short", () => {
    const article = { summary: `${BODY.slice(0, 60)}…`, abstract: "The abstract.", content_text: BODY, language: "en" };
    expect(leadOf(article)).toBe("The abstract.");
  });

  it("summarizes on the spot when no abstract exists yet", () => {
    const article = { summary: `${BODY.slice(0, 60)}…`, abstract: null, content_text: BODY, language: "en" };
    const lead = leadOf(article);
    expect(lead.length).toBeGreaterThan(0);
    expect(lead.split(/(?<=\.)\s+/).every((sentence) => BODY.includes(sentence))).toBe(true);
  });
});
