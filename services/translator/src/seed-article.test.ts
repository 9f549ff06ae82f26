import { readFileSync } from "node:fs";
import { createSource, getTranslation, putGlossaryEntries, upsertArticle } from "@babelwire/db";
import { openRuntime, type Runtime } from "@babelwire/runtime";
import { clearQueuePrefix, testConfig } from "@babelwire/runtime/testing";
import { createApertiumEngine, createApertiumLexicon } from "@babelwire/translate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { translateArticle } from "./translate-article.ts";

/** The seed article, with one paragraph given a link and bold text as agencies' HTML has them. */
const lines = readFileSync(
  new URL("../../../packages/translate/testdata/ukrinform-rutte-en.txt", import.meta.url),
  "utf8",
)
  .split("\n")
  .map((line) => line.trim())
  .filter((line) => line && line !== "- News");
const [title = "", lead = "", ...paragraphs] = lines;
const escapeHtml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const LINKED =
  '<p>NATO <b>Secretary General</b> Mark Rutte spoke at the <a href="https://www.ukrinform.net/">summit</a> in Budapest.</p>';
const body = [...paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`), LINKED].join("\n");

let runtime: Runtime;

beforeAll(async () => {
  runtime = await openRuntime(testConfig(), "seed-article-test");
});

afterAll(async () => {
  await clearQueuePrefix(runtime.redis, runtime.config.QUEUE_PREFIX);
  await runtime?.close();
});

function numbers(text: string): string[] {
  return (text.replace(/<[^>]*>/g, " ").match(/\d+(?:[.,]\d+)*/g) ?? []).map((n) => n.replace(/[.,]/g, ""));
}

describe("the seed article through Apertium with a glossary", () => {
  it("keeps Donald Trump, every number, and the link and bold text balanced", async () => {
    await putGlossaryEntries(runtime.db, { from: "en", to: "es" }, [
      { term: "Donald Trump", translation: "Donald Trump", caseSensitive: true },
    ]);
    const source = await createSource(runtime.db, { url: "https://www.ukrinform.net/rss", targets: ["es"] });
    const article = await upsertArticle(runtime.db, source.id, {
      guid: "3926170",
      url: "https://www.ukrinform.net/rubric-polytics/3926170.html",
      title,
      summary: lead,
      contentHtml: body,
      contentText: paragraphs.join("\n\n"),
      language: "en",
      publishedAt: "2024-11-07T12:21:00.000Z",
      updatedAt: "2024-11-07T12:21:00.000Z",
      authors: [],
      categories: [],
      media: [],
      contentHash: "seed",
    });
    const outcome = await translateArticle(
      { db: runtime.db, queues: runtime.queues, engines: [createApertiumEngine()] },
      { articleId: article.id, articleVersion: 1, lang: "es" },
      { id: "seed", attempt: 1, maxAttempts: 1 },
    );
    if (outcome.outcome !== "translated") throw new Error(JSON.stringify(outcome));
    const row = await getTranslation(runtime.db, outcome.translationId);
    const html = row?.content_html ?? "";
    expect(html).toContain("Donald Trump");
    expect(html).not.toMatch(/Triunfo/);
    expect(html).toMatch(/Corea del Norte/);
    const target = numbers(`${row?.title} ${row?.summary} ${html}`).sort();
    for (const number of numbers(`${title} ${lead} ${body}`)) expect(target).toContain(number);
    const linked = row?.segments.at(-1)?.target ?? "";
    expect(linked).toMatch(/<a href="https:\/\/www\.ukrinform\.net\/"[^>]*>[^<]+<\/a>/);
    expect(linked).toMatch(/<b>[^<]+<\/b>/);
    expect(row?.qa.filter((flag) => flag.severity === "error")).toEqual([]);
  });
});

describe.each([
  ["es", /Triunfo/],
  ["ca", /Superar|Marca General/],
])("the seed article into %s from a fresh install, with an empty glossary", (lang, mangledName) => {
  // A database of its own: nothing remembered from the tests above, no glossary.
  let fresh: Runtime;
  beforeAll(async () => {
    fresh = await openRuntime(testConfig(), `seed-${lang}-test`);
  });
  afterAll(async () => {
    await clearQueuePrefix(fresh.redis, fresh.config.QUEUE_PREFIX);
    await fresh?.close();
  });

  it("keeps every name, number and link, and reads as wire copy", async () => {
    const runtime = fresh;
    const source = await createSource(runtime.db, { url: `https://www.ukrinform.net/rss?${lang}`, targets: [lang] });
    const article = await upsertArticle(runtime.db, source.id, {
      guid: `3926170-${lang}`,
      url: "https://www.ukrinform.net/rubric-polytics/3926170.html",
      title,
      summary: lead,
      contentHtml: body,
      contentText: paragraphs.join("\n\n"),
      language: "en",
      publishedAt: "2024-11-07T12:21:00.000Z",
      updatedAt: "2024-11-07T12:21:00.000Z",
      authors: [],
      categories: [],
      media: [],
      contentHash: `seed-${lang}`,
    });
    const outcome = await translateArticle(
      { db: runtime.db, queues: runtime.queues, engines: [createApertiumEngine()], lexicon: createApertiumLexicon() },
      { articleId: article.id, articleVersion: 1, lang },
      { id: `seed-${lang}`, attempt: 1, maxAttempts: 1 },
    );
    if (outcome.outcome !== "translated") throw new Error(JSON.stringify(outcome));
    const row = await getTranslation(runtime.db, outcome.translationId);
    const all = `${row?.title}\n${row?.summary}\n${row?.content_html}`;
    const text = all.replace(/<[^>]*>/g, "");
    // Names, as written, as often as the source has them.
    expect(text.match(/Donald Trump/g)).toHaveLength(2);
    expect(text.match(/Mark Rutte/g)).toHaveLength(3);
    expect(text.match(/Kyrylo Budanov/g)).toHaveLength(1);
    expect(text.match(/(?<!Mark )Rutte\b/g)).toHaveLength(2);
    expect(text).not.toMatch(mangledName);
    // Case: no capitals copied from NATO, no acronym lowered, no verb capitalised after a name.
    expect(text).toMatch(/OTAN/);
    expect(text).not.toMatch(/\b(?:DE|LA|DEL|DE L)\b/);
    expect(text).not.toMatch(/\b(?:otan|OTan)\b/);
    expect(text).not.toMatch(/Rutte (?:Aseguró|Va)\b/);
    // Spaces and quotes.
    expect(all).not.toMatch(/ {2}/);
    expect(text).not.toMatch(/ [,.;:!?)]/);
    expect(all).not.toMatch(/<p> /);
    expect(text).not.toMatch(/"/);
    expect(text).toMatch(/«[^»]+»/);
    // Places still translated; numbers and the link kept.
    expect(text).toMatch(lang === "es" ? /Corea del Norte/ : /Corea del Nord/);
    const target = numbers(all).sort();
    for (const number of numbers(`${title} ${lead} ${body}`)) expect(target).toContain(number);
    expect(row?.segments.at(-1)?.target).toMatch(/<a href="https:\/\/www\.ukrinform\.net\/"[^>]*>[^<]+<\/a>/);
    expect(row?.qa.filter((flag) => flag.severity === "error")).toEqual([]);
  });
});

describe("Apertium from Russian to Ukrainian", () => {
  // Debian's rus-ukr 0.2.1 tagger aborts on some sentences (an assertion in apertium-tagger); these it handles.
  it("translates paragraphs, keeping their markup", async () => {
    const result = await createApertiumEngine().translate({
      from: "ru",
      to: "uk",
      format: "html",
      segments: ["<p>Москва <b>большой</b> город.</p>", "<p>Президент сказал.</p>"],
    });
    expect(result.segments).toEqual(["<p>Москва <b>великий</b> город.</p>", "<p>Президент сказав.</p>"]);
  });
});
