import {
  createSource,
  getTranslation,
  lookupMemory,
  putGlossaryEntries,
  rememberSegments,
  transitionTranslation,
  upsertArticle,
  withdrawArticle,
} from "@babelwire/db";
import { openRuntime, type Runtime } from "@babelwire/runtime";
import { clearQueuePrefix, testConfig } from "@babelwire/runtime/testing";
import {
  createApertiumEngine,
  joinBlocks,
  learnApprovedTranslation,
  type TranslateRequest,
  type TranslationEngine,
} from "@babelwire/translate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseMemory } from "./database-memory.ts";
import { translateArticle } from "./translate-article.ts";

let runtime: Runtime;
/** What reached the engine, segment by segment: the real Apertium engine, watched. */
let sent: string[] = [];
let engine: TranslationEngine;
const job = { id: "t", attempt: 1, maxAttempts: 3 };

beforeAll(async () => {
  runtime = await openRuntime(testConfig(), "memory-test");
  const apertium = createApertiumEngine();
  engine = {
    name: apertium.name,
    languages: () => apertium.languages(),
    translate: (request: TranslateRequest) => {
      sent.push(...request.segments);
      return apertium.translate(request);
    },
  };
});

afterAll(async () => {
  await clearQueuePrefix(runtime.redis, runtime.config.QUEUE_PREFIX);
  await runtime?.close();
});

const deps = () => ({ db: runtime.db, queues: runtime.queues, engines: [engine] });

async function article(
  guid: string,
  body: string[],
  review: "auto" | "strict" | "required" = "required",
  sourceId?: string,
) {
  const source =
    sourceId ?? (await createSource(runtime.db, { url: `https://example.org/${guid}`, targets: ["es"], review })).id;
  const row = await upsertArticle(runtime.db, source, {
    guid,
    url: `https://example.org/${guid}`,
    title: "Ministers meet in Kyiv",
    summary: "The agency's own lead.",
    contentHtml: body.join("\n"),
    contentText: body.join("\n"),
    language: "en",
    publishedAt: "2026-11-01T10:00:00.000Z",
    updatedAt: "2026-11-01T10:00:00.000Z",
    authors: [],
    categories: [],
    media: [],
    contentHash: body.join(),
  });
  return { ...row, sourceId: source };
}

async function translate(articleId: string, articleVersion = 1, retranslation?: number) {
  sent = [];
  const outcome = await translateArticle(
    deps(),
    { articleId, articleVersion, lang: "es", ...(retranslation && { retranslation }) },
    job,
  );
  if (outcome.outcome !== "translated") throw new Error(`expected a translation, got ${JSON.stringify(outcome)}`);
  const row = await getTranslation(runtime.db, outcome.translationId);
  if (!row) throw new Error("translation row missing");
  return row;
}

describe("translation memory", () => {
  it("keeps an editor's segment over the engine's, and the engine's never over the editor's", async () => {
    const pair = { from: "en", to: "es" };
    await rememberSegments(
      runtime.db,
      pair,
      [{ source: "<p>The  war\n goes on.</p>", target: "<p>M1</p>" }],
      "machine",
    );
    await rememberSegments(runtime.db, pair, [{ source: "<p>The war goes on.</p>", target: "<p>H1</p>" }], "human");
    await rememberSegments(runtime.db, pair, [{ source: "<p>The war goes on.</p>", target: "<p>M2</p>" }], "machine");
    const hit = await lookupMemory(runtime.db, pair, [" <p>The war\tgoes on.</p>\n"], { includeMachine: true });
    expect([...hit.values()]).toEqual([
      { source: " <p>The war\tgoes on.</p>\n", target: "<p>H1</p>", origin: "human", updatedAt: expect.any(Date) },
    ]);
    const other = await lookupMemory(runtime.db, { from: "en", to: "ca" }, ["<p>The war goes on.</p>"], {
      includeMachine: true,
    });
    expect(other.size).toBe(0);
  });

  it("gives the next article the sentence an editor approved, and sends only the rest to the engine", async () => {
    const shared = "<p>The ministers discussed air defense.</p>";
    const first = await article("tm-first", [shared, "<p>They met for two hours.</p>"]);
    const machine = await translate(first.id);
    expect(sent).toContain(shared);
    const corrected = "<p>Los ministros debatieron sobre la defensa antiaérea.</p>";
    const edited = await transitionTranslation(runtime.db, machine.id, "edit", {
      actor: "token:editor",
      edit: { segments: { s1: corrected }, rebuildBody: joinBlocks },
    });
    const approved = await transitionTranslation(runtime.db, edited.id, "approve", { actor: "token:editor" });
    // Only the segment the editor changed: the other is still the engine's.
    expect(await learnApprovedTranslation(databaseMemory(runtime.db), approved)).toBe(1);

    const next = await article("tm-next", [shared, "<p>Nothing else was agreed.</p>"], "required", first.sourceId);
    const translated = await translate(next.id);
    expect(translated.segments[0]).toMatchObject({ source: shared, target: corrected, memory: "human" });
    expect(translated.segments[1]?.memory).toBeUndefined();
    expect(translated.content_html).toContain(corrected);
    expect(sent).not.toContain(shared);
    expect(sent).toContain("<p>Nothing else was agreed.</p>");
  });

  it("sends only the changed paragraph of an updated article to the engine", async () => {
    const body = ["<p>Drones attacked the port at night.</p>", "<p>Two ships were damaged.</p>"];
    const v1 = await article("tm-update", body);
    await translate(v1.id);
    const updated = [body[0] ?? "", "<p>Three ships were damaged.</p>"];
    const v2 = await article("tm-update", updated, "required", v1.sourceId);
    expect(v2.id).toBe(v1.id);
    const before = await runtime.db.selectFrom("engine_usage").selectAll().where("engine", "=", "apertium").execute();
    const row = await translate(v1.id, 2);
    expect(sent).toEqual(["<p>Three ships were damaged.</p>"]);
    const after = await runtime.db.selectFrom("engine_usage").selectAll().where("engine", "=", "apertium").execute();
    const total = (rows: typeof before) => rows.reduce((sum, use) => sum + Number(use.characters), 0);
    expect(total(after) - total(before)).toBe("<p>Three ships were damaged.</p>".length);
    expect(row.segments.map((segment) => segment.memory)).toEqual(["machine", undefined]);
    expect(row.content_html).toMatch(/3|tres|Tres/);
  });

  it("counts one use of each entry that answered an article, and none of those it did not need", async () => {
    const body = ["<p>Floods closed the bridge.</p>", "<p>Rain fell all week. Roads were shut.</p>"];
    const first = await article("tm-uses-1", body);
    await translate(first.id);
    const uses = async () =>
      Object.fromEntries(
        (
          await runtime.db
            .selectFrom("translation_memory")
            .select(["source", "uses"])
            .where("source", "in", [...body, "<p>Rain fell all week.</p>", "<p>Roads were shut.</p>"])
            .execute()
        ).map((row) => [row.source, Number(row.uses)]),
      );
    const before = await uses();
    // The same paragraphs in another article: answered whole, so their sentences' entries are not used.
    const second = await article("tm-uses-2", body);
    await translate(second.id);
    expect(sent).toEqual([]);
    const after = await uses();
    const grown = Object.fromEntries(Object.entries(after).map(([source, n]) => [source, n - (before[source] ?? 0)]));
    expect(Object.values(grown).reduce((sum, n) => sum + n, 0)).toBeGreaterThan(0);
    for (const n of Object.values(grown)) expect(n).toBeLessThanOrEqual(1);
  });

  it("sends only the changed sentence of an edited paragraph, the others coming from memory", async () => {
    const paragraph = (middle: string) =>
      `<p>Mr. Rutte arrived in Kyiv on Monday. ${middle} He left by train at 9.30 p.m. on Tuesday.</p>`;
    const v1 = await article("tm-sentence", [paragraph("He met 12 ministers.")]);
    const first = await translate(v1.id);
    // New to memory, the paragraph goes whole (the engine reads it as one) and is learned sentence by sentence too.
    expect(sent).toContain(paragraph("He met 12 ministers."));
    await article("tm-sentence", [paragraph("He met 15 ministers.")], "required", v1.sourceId);
    const row = await translate(v1.id, 2);
    expect(sent).toEqual(["He met 15 ministers."]);
    const target = row.segments[0]?.target ?? "";
    expect(target).toMatch(/^<p>.*15.*<\/p>$/);
    expect(target).not.toMatch(/12/);
    // The unchanged sentences read exactly as the first translation had them.
    const [opening, , closing] = (first.segments[0]?.target ?? "").replace(/^<p>|<\/p>$/g, "").split(/(?<=\.) /);
    expect(target).toContain(opening);
    expect(target).toContain(closing);
    expect(row.segments[0]?.memory).toBeUndefined();
  });

  it("keeps an editor's wording of the sentences that did not change when one sentence of the paragraph did", async () => {
    const paragraph = (last: string) => `<p>The mayor opened the bridge. It cost 40 million. ${last}</p>`;
    const v1 = await article("tm-editor-sentences", [paragraph("Traffic starts today.")]);
    const machine = await translate(v1.id);
    const corrected = "<p>La alcaldesa inauguró el puente. Costó 40 millones. El tráfico empieza hoy.</p>";
    const edited = await transitionTranslation(runtime.db, machine.id, "edit", {
      actor: "token:editor",
      edit: { segments: { s1: corrected }, rebuildBody: joinBlocks },
    });
    await learnApprovedTranslation(
      databaseMemory(runtime.db),
      await transitionTranslation(runtime.db, edited.id, "approve", { actor: "token:editor" }),
    );

    await article("tm-editor-sentences", [paragraph("Traffic starts on Monday.")], "required", v1.sourceId);
    const row = await translate(v1.id, 2);
    expect(sent).toEqual(["Traffic starts on Monday."]);
    expect(row.segments[0]?.target).toMatch(/^<p>La alcaldesa inauguró el puente\. Costó 40 millones\. [^<]+<\/p>$/);
    expect(row.segments[0]?.target).not.toContain("El tráfico empieza hoy.");
  });

  it("still answers from a paragraph remembered whole, as memory kept it before sentences", async () => {
    const paragraph = "<p>The talks lasted all day. No statement followed.</p>";
    await rememberSegments(
      runtime.db,
      { from: "en", to: "es" },
      [{ source: paragraph, target: "<p>Recordado entero.</p>" }],
      "machine",
    );
    const row = await translate((await article("tm-block-entry", [paragraph])).id);
    expect(sent).not.toContain("The talks lasted all day.");
    expect(row.segments[0]).toMatchObject({ target: "<p>Recordado entero.</p>", memory: "machine" });
  });

  it("sends a bold run that spans two sentences as one unit, and rebuilds the paragraph balanced", async () => {
    const paragraph = (first: string, bold: string) =>
      `<p>${first} <b>Two drones fell. ${bold}</b> See <a href="https://example.org/m">the map</a>.</p>`;
    const v1 = await article("tm-span", [paragraph("Sirens sounded.", "One hit a house.")]);
    await translate(v1.id);
    await article("tm-span", [paragraph("Sirens wailed.", "One hit a house.")], "required", v1.sourceId);
    const v2 = await translate(v1.id, 2);
    expect(sent).toEqual(["Sirens wailed."]);
    await article("tm-span", [paragraph("Sirens wailed.", "One hit a school.")], "required", v1.sourceId);
    const v3 = await translate(v1.id, 3);
    expect(sent).toEqual(["<b>Two drones fell. One hit a school.</b>"]);
    for (const row of [v2, v3]) {
      const target = row.segments[0]?.target ?? "";
      expect(target).toMatch(
        /^<p>[^<]+ <b>[^<]+<\/b> [^<]*<a href="https:\/\/example.org\/m"[^>]*>[^<]+<\/a>[^<]*<\/p>$/,
      );
      expect(row.qa.map((flag) => flag.code)).not.toContain("markup_unbalanced");
    }
    expect(v3.segments[0]?.target).toMatch(/escuela/);
  });

  it("asks the engine afresh when an editor rejected the translation, memory aside, an editor's entry too", async () => {
    const paragraph = "<p>Prices rose again in May.</p>";
    await rememberSegments(
      runtime.db,
      { from: "en", to: "es" },
      [{ source: paragraph, target: "<p>Mal.</p>" }],
      "human",
    );
    const a = await article("tm-reject", [paragraph]);
    const first = await translate(a.id);
    expect(first.segments[0]).toMatchObject({ target: "<p>Mal.</p>", memory: "human" });
    expect(sent).not.toContain(paragraph);
    await transitionTranslation(runtime.db, first.id, "reject", { actor: "token:editor" });
    await transitionTranslation(runtime.db, first.id, "retranslate", { actor: "token:editor" });
    const again = await translate(a.id, 1, 3);
    expect(sent).toContain(paragraph);
    expect(again.segments[0]?.target).not.toBe("<p>Mal.</p>");
    expect(again.segments[0]?.memory).toBeUndefined();
  });
});

describe("what the translator refuses to publish or touch", () => {
  it("publishes under review auto despite a warning, which stays on the translation", async () => {
    const a = await article("qa-unknown", ["<p>The glorptastic plan was approved.</p>"], "auto");
    const row = await translate(a.id);
    expect(row.status).toBe("approved");
    expect(row.qa.map((flag) => [flag.code, flag.severity])).toContainEqual(["untranslated_words", "warning"]);
  });

  it("holds a translation with any flag under review strict", async () => {
    const a = await article("qa-strict", ["<p>The flumptastic plan was rejected.</p>"], "strict");
    const row = await translate(a.id);
    expect(row.status).toBe("in_review");
    expect(row.qa.map((flag) => flag.code)).toContain("untranslated_words");
  });

  it("publishes under review auto when the only unknown words are names kept as written", async () => {
    const a = await article("qa-names", ["<p>Zaluzhnyi met Budanov.</p>"], "auto");
    const row = await translate(a.id);
    expect(row.qa).toEqual([]);
    expect(row.status).toBe("approved");
  });

  it("follows the review policy of the target language over the source's", async () => {
    const source = await createSource(runtime.db, {
      url: "https://example.org/per-language",
      targets: ["es"],
      review: "auto",
      reviewByLanguage: { es: "required" },
    });
    const a = await article("policy-es", ["<p>Kyiv is the capital.</p>"], "auto", source.id);
    expect((await translate(a.id)).status).toBe("in_review");
  });

  it("does not translate a withdrawn article", async () => {
    const a = await article("withdrawn-1", ["<p>A report that was pulled.</p>"]);
    await withdrawArticle(runtime.db, a.id, { actor: "token:editor", reason: "kill notice" });
    const outcome = await translateArticle(deps(), { articleId: a.id, articleVersion: 1, lang: "es" }, job);
    expect(outcome).toEqual({ outcome: "skipped", reason: "article withdrawn" });
  });
});

describe("glossary", () => {
  it("lets a term added after an editor's memory entry win over it, when the entry does not render the term", async () => {
    const pair = { from: "en", to: "es" };
    const paragraph = "<p>Jack Straw met the prime minister.</p>";
    await rememberSegments(
      runtime.db,
      pair,
      [{ source: paragraph, target: "<p>Jack Paja conoció al primer ministro.</p>" }],
      "human",
    );
    await new Promise((resolve) => setTimeout(resolve, 5));
    await putGlossaryEntries(runtime.db, pair, [
      { term: "Jack Straw", translation: "Jack Straw", caseSensitive: true },
    ]);
    const row = await translate((await article("glossary-newer", [paragraph])).id);
    expect(sent).toContain(paragraph.replace("Jack Straw", "Zxqvaq"));
    expect(row.segments[0]?.memory).toBeUndefined();
    expect(row.segments[0]?.target).toContain("Jack Straw");
    expect(row.qa.map((flag) => flag.code)).not.toContain("glossary_term_missing");
  });

  it("checks memory hits against the glossary too: an entry lacking a term is flagged", async () => {
    const pair = { from: "en", to: "es" };
    const paragraph = "<p>The Hague summit ended.</p>";
    await putGlossaryEntries(runtime.db, pair, [{ term: "The Hague", translation: "La Haya", caseSensitive: true }]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    // Written after the term, the editor's entry stands; it still does not say "La Haya".
    await rememberSegments(runtime.db, pair, [{ source: paragraph, target: "<p>La cumbre terminó.</p>" }], "human");
    const row = await translate((await article("glossary-qa", [paragraph])).id);
    expect(row.segments[0]).toMatchObject({ target: "<p>La cumbre terminó.</p>", memory: "human" });
    expect(row.qa.find((flag) => flag.code === "glossary_term_missing")?.message).toContain("The Hague");
  });

  it("renders a term as the glossary says, also where the engine had remembered it otherwise", async () => {
    const paragraph = "<p>Donald Trump met the prime minister.</p>";
    const before = await translate((await article("glossary-before", [paragraph])).id);
    expect(before.content_html).toMatch(/Triunfo/);

    await putGlossaryEntries(runtime.db, { from: "en", to: "es" }, [
      { term: "Donald Trump", translation: "Donald Trump", caseSensitive: true },
    ]);
    const after = await translate((await article("glossary-after", [paragraph])).id);
    expect(sent).toContain(paragraph.replace("Donald Trump", "Zxqvaq"));
    expect(after.content_html).toContain("Donald Trump");
    expect(after.content_html).not.toMatch(/Triunfo/);
    expect(after.segments[0]?.memory).toBeUndefined();
    expect(after.qa.map((flag) => flag.code)).not.toContain("glossary_term_missing");
    expect(after.qa.map((flag) => flag.code)).not.toContain("untranslated_words");
  });
});
