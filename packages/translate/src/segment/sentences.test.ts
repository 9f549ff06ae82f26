import { measureGrowth, repeatTo } from "@babelwire/core/linear-time";
import { describe, expect, it } from "vitest";
import { createSentenceSplitter } from "./sentences.ts";

const units = (lang: string, segment: string, format: "html" | "text" = "html") =>
  createSentenceSplitter(lang)(segment, format)?.units;

describe("sentence splitting", () => {
  it("splits English without breaking after titles, initials, dotted acronyms, months or decimals", () => {
    expect(
      units(
        "en",
        "<p>Mr. Smith met J. R. Doe at the U.S. Congress on Jan. 5. The deal is worth $3.5 billion, i.e. more than planned. Dr. Jones disagreed.</p>",
      ),
    ).toEqual([
      "Mr. Smith met J. R. Doe at the U.S. Congress on Jan. 5.",
      "The deal is worth $3.5 billion, i.e. more than planned.",
      "Dr. Jones disagreed.",
    ]);
  });

  it("splits Ukrainian keeping initials, м. before a city and months before a day, but ending on a year's р.", () => {
    expect(
      units(
        "uk",
        "<p>Президент В. Зеленський прибув у м. Київ 5 січ. 2024 р. Він сказав: «Ні». Зібрано 3,5 тис. грн. Далі буде.</p>",
      ),
    ).toEqual([
      "Президент В. Зеленський прибув у м. Київ 5 січ. 2024 р.",
      "Він сказав: «Ні».",
      "Зібрано 3,5 тис. грн.",
      "Далі буде.",
    ]);
  });

  it("splits Spanish keeping Sr., Dra., EE. UU. and decimal commas", () => {
    expect(
      units(
        "es",
        "<p>El Sr. García llegó a EE. UU. el 5 de ene. Pagó 3,5 millones. La Dra. Pérez, p. ej., habló del art. 12.</p>",
      ),
    ).toEqual([
      "El Sr. García llegó a EE. UU. el 5 de ene.",
      "Pagó 3,5 millones.",
      "La Dra. Pérez, p. ej., habló del art. 12.",
    ]);
  });

  it("gives each sentence its own inline markup and rebuilds the block around the translations", () => {
    const block =
      '<p class="lead">First <b>sentence.</b> Second <a href="/x?a=1&amp;b=2">link</a>. Fish &amp; chips.</p>';
    const split = createSentenceSplitter("en")(block, "html");
    expect(split?.units).toEqual([
      "First <b>sentence.</b>",
      'Second <a href="/x?a=1&amp;b=2">link</a>.',
      "Fish &amp; chips.",
    ]);
    expect(split?.join(["A.", "B.", "C."])).toBe('<p class="lead">A. B. C.</p>');
    expect(split?.join(split.units)).toBe(block);
  });

  it("keeps the sentences an inline element spans together, never cutting its tags", () => {
    expect(units("en", "<p>One. <i>Two. Three.</i> Four <b>five. Six</b> seven. Eight.</p>")).toEqual([
      "One.",
      "<i>Two. Three.</i>",
      "Four <b>five. Six</b> seven.",
      "Eight.",
    ]);
    expect(units("en", "<p><strong>All of it. Is bold.</strong></p>")).toBeUndefined();
  });

  it("leaves one-sentence blocks, lists and blocks with nested blocks whole", () => {
    expect(units("en", "<p>Growth was 3.5% in the U.S. Army's budget.</p>")).toBeUndefined();
    expect(units("en", "<ul><li>One. Two.</li><li>Three.</li></ul>")).toBeUndefined();
    expect(units("en", "<blockquote><p>One. Two.</p></blockquote>")).toBeUndefined();
  });

  it("splits plain text and html without a container, and breaks at <br>", () => {
    expect(units("en", "A title. And a <b>subtitle</b>.", "text")).toEqual(["A title.", "And a <b>subtitle</b>."]);
    expect(units("en", "Kyiv, 5 May<br>Air raid alert. All clear at noon.")).toEqual([
      "Kyiv, 5 May",
      "Air raid alert.",
      "All clear at noon.",
    ]);
  });
});

describe("sentence splitting on a hostile paragraph", () => {
  it("splits 1 MB of short sentences in linear time", async () => {
    const split = createSentenceSplitter("en");
    const growth = await measureGrowth(
      (text) => split(text, "text"),
      (chars) => repeatTo("Grain ship left. ", chars),
    );
    expect(growth.largeMs).toBeLessThan(growth.boundMs);
  });
});
