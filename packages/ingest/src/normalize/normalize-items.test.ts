import { sha256Hex } from "@babelwire/core";
import { describe, expect, it } from "vitest";
import { parseFeed } from "../parse/parse-feed.ts";
import type { ParsedFeed, ParsedItem } from "../parse/parsed-feed.ts";
import { normalizeItems } from "./normalize-items.ts";

const NOW = new Date("2025-05-05T12:00:00Z");

const AGENCY_RSS = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/">
<channel>
  <title>Agency &amp; Wire — World</title>
  <link>/world/</link>
  <description>World news</description>
  <language>EN-us</language>
  <item>
    <title><![CDATA[Leaders meet in <em>Brussels</em> &amp; agree   on aid]]></title>
    <link>/world/2025/05/leaders-meet.html?utm_source=rss&amp;utm_medium=feed&amp;ref=home#comments</link>
    <guid isPermaLink="false">agency-20250505-0001</guid>
    <pubDate>Mon, 05 May 2025 09:30:00 +0200</pubDate>
    <dc:creator>Jane Roe</dc:creator>
    <dc:creator>John Doe</dc:creator>
    <dc:creator>Jane Roe</dc:creator>
    <category> Politics </category>
    <category>Europe</category>
    <category>politics</category>
    <description><![CDATA[<p>European leaders agreed on a new aid package on Monday.</p>]]></description>
    <content:encoded><![CDATA[
      <p>BRUSSELS — European leaders <a href="/tags/eu?utm_source=x" onclick="steal()">agreed</a> on Monday.</p>
      <p><img src="../img/summit.jpg" alt="Leaders at the summit"></p>
      <p></p>
      <script>track()</script>
      <p>The package is worth <strong>€2bn</strong>.<img src="https://pixel.example/p.gif" width="1" height="1"></p>
    ]]></content:encoded>
    <enclosure url="/img/summit-large.jpg" type="image/jpeg" length="12345"/>
    <media:content url="https://cdn.example/video.mp4" type="video/mp4"><media:description>Summit video</media:description></media:content>
  </item>
</channel>
</rss>`;

const ATOM = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ca">
  <title>Agència</title>
  <link rel="alternate" href="https://agencia.example/"/>
  <entry>
    <id>tag:agencia.example,2025:1</id>
    <title>Acord al Parlament</title>
    <link rel="alternate" href="https://agencia.example/2025/acord?fbclid=abc"/>
    <published>2025-05-04T18:00:00+02:00</published>
    <updated>2025-05-05T08:00:00+02:00</updated>
    <author><name>Marta</name></author>
    <category term="politica"/>
    <summary type="html">&lt;p&gt;Els grups han arribat a un acord.&lt;/p&gt;</summary>
    <content type="html">&lt;p&gt;Els grups parlamentaris han arribat a un acord.&lt;/p&gt;&lt;p&gt;Segon paràgraf.&lt;/p&gt;</content>
  </entry>
</feed>`;

function item(overrides: Partial<ParsedItem>): ParsedItem {
  return {
    id: null,
    link: null,
    title: null,
    contentHtml: null,
    descriptionHtml: null,
    published: null,
    updated: null,
    language: null,
    authors: [],
    categories: [],
    media: [],
    baseUrl: null,
    contentBaseUrl: null,
    ...overrides,
  };
}

function feedOf(items: ParsedItem[], language: string | null = null): ParsedFeed {
  return { title: "F", link: "https://feed.example/", language, ttlMinutes: null, baseUrl: null, items };
}

describe("normalizeItems", () => {
  it("normalizes a realistic RSS 2.0 agency item", async () => {
    const feed = await parseFeed(AGENCY_RSS);
    const [article] = normalizeItems({ feedUrl: "https://agency.example/rss/world.xml", feed, now: NOW });
    const contentHtml =
      '<p>BRUSSELS — European leaders <a href="https://agency.example/tags/eu?utm_source=x" rel="noopener noreferrer nofollow">agreed</a> on Monday.</p>' +
      '<p><img src="https://agency.example/world/2025/img/summit.jpg" alt="Leaders at the summit" /></p>' +
      "<p>The package is worth <strong>€2bn</strong>.</p>";
    expect(article).toEqual({
      guid: "agency-20250505-0001",
      url: "https://agency.example/world/2025/05/leaders-meet.html?ref=home",
      title: "Leaders meet in Brussels & agree on aid",
      summary: "European leaders agreed on a new aid package on Monday.",
      contentHtml: expect.any(String),
      contentText: "BRUSSELS — European leaders agreed on Monday.\n\nThe package is worth €2bn.",
      language: "en-US",
      publishedAt: "2025-05-05T07:30:00.000Z",
      updatedAt: "2025-05-05T07:30:00.000Z",
      authors: ["Jane Roe", "John Doe"],
      categories: ["Politics", "Europe"],
      media: [
        { url: "https://agency.example/img/summit-large.jpg", type: "image/jpeg", caption: null, length: 12345 },
        { url: "https://cdn.example/video.mp4", type: "video/mp4", caption: "Summit video" },
        { url: "https://agency.example/world/2025/img/summit.jpg", type: null, caption: "Leaders at the summit" },
      ],
      contentHash: expect.any(String),
    });
    expect(article?.contentHtml.replace(/>\s+</g, "><")).toBe(contentHtml);
    expect(article?.contentHash).toBe(sha256Hex(`${article?.title}\n${article?.contentHtml}`));
  });

  it("normalizes an Atom 1.0 entry with its xml:lang, updated date and summary", async () => {
    const feed = await parseFeed(ATOM);
    const [article] = normalizeItems({ feedUrl: "https://agencia.example/feed.atom", feed, now: NOW });
    expect(article).toMatchObject({
      guid: "tag:agencia.example,2025:1",
      url: "https://agencia.example/2025/acord",
      title: "Acord al Parlament",
      summary: "Els grups han arribat a un acord.",
      contentHtml: "<p>Els grups parlamentaris han arribat a un acord.</p><p>Segon paràgraf.</p>",
      contentText: "Els grups parlamentaris han arribat a un acord.\n\nSegon paràgraf.",
      language: "ca",
      publishedAt: "2025-05-04T16:00:00.000Z",
      updatedAt: "2025-05-05T06:00:00.000Z",
      authors: ["Marta"],
      categories: ["politica"],
    });
  });

  it("gives the same content hash when the same item is read again", async () => {
    const first = normalizeItems({
      feedUrl: "https://agency.example/rss",
      feed: await parseFeed(AGENCY_RSS),
      now: NOW,
    });
    const later = new Date("2026-01-01T00:00:00Z");
    const second = normalizeItems({
      feedUrl: "https://agency.example/rss",
      feed: await parseFeed(AGENCY_RSS),
      now: later,
    });
    expect(second[0]?.contentHash).toBe(first[0]?.contentHash);
    const edited = AGENCY_RSS.replace("€2bn", "€3bn");
    const third = normalizeItems({ feedUrl: "https://agency.example/rss", feed: await parseFeed(edited), now: NOW });
    expect(third[0]?.contentHash).not.toBe(first[0]?.contentHash);
  });

  it("falls back from guid to canonical URL to content hash for the identity", () => {
    const articles = normalizeItems({
      feedUrl: "https://feed.example/rss",
      feed: feedOf([item({ link: "/a?utm_term=x", title: "A" }), item({ title: "B", descriptionHtml: "<p>b</p>" })]),
      now: NOW,
    });
    expect(articles[0]?.guid).toBe("https://feed.example/a");
    expect(articles[1]?.guid).toBe(articles[1]?.contentHash);
  });

  it("uses now for a missing or unreadable date", () => {
    const articles = normalizeItems({
      feedUrl: "https://feed.example/rss",
      feed: feedOf([item({ title: "A" }), item({ title: "B", published: "someday" })]),
      now: NOW,
    });
    for (const article of articles) {
      expect(article.publishedAt).toBe(NOW.toISOString());
      expect(article.updatedAt).toBe(NOW.toISOString());
    }
  });

  it("takes the language from the item, then the feed, then the fallback, then detection", () => {
    const english = "The government announced on Tuesday that the new budget will include more money for schools.";
    const spanish = "El gobierno anunció el martes que el nuevo presupuesto incluirá más dinero para las escuelas.";
    const read = (items: ParsedItem[], feedLanguage: string | null, fallbackLanguage: string | null) =>
      normalizeItems({
        feedUrl: "https://feed.example/rss",
        feed: feedOf(items, feedLanguage),
        fallbackLanguage,
        now: NOW,
      });
    expect(read([item({ language: "pt-br", descriptionHtml: english })], "en", "es")[0]?.language).toBe("pt-BR");
    expect(read([item({ descriptionHtml: english })], "EN", "es")[0]?.language).toBe("en");
    expect(read([item({ descriptionHtml: english })], null, "uk")[0]?.language).toBe("uk");
    expect(read([item({ descriptionHtml: spanish })], null, null)[0]?.language).toBe("es");
    expect(read([item({ title: "Hi" })], "not a tag!", null)[0]?.language).toBe("und");
  });

  it("lets long text clearly in another language override a declared language, and only then", () => {
    const spanish =
      "El gobierno anunció el martes que el nuevo presupuesto incluirá más dinero para las escuelas públicas, " +
      "los hospitales de las provincias y la red de trenes regionales, según explicó la ministra de Hacienda " +
      "en una rueda de prensa celebrada en Madrid ante decenas de periodistas.";
    const russian =
      "Президент России Владимир Путин заявил, что Россия не остановится, а генеральный секретарь НАТО Марк " +
      "Рютте отметил, что подготовка Альянса к возможному нападению продолжается, сообщают информагентства в понедельник вечером.";
    const read = (items: ParsedItem[], feedLanguage: string | null) =>
      normalizeItems({ feedUrl: "https://feed.example/rss", feed: feedOf(items, feedLanguage), now: NOW });
    // The feed says English, the copy is Spanish: the text wins.
    expect(read([item({ descriptionHtml: spanish })], "en")[0]?.language).toBe("es");
    // An item's own wrong declaration is checked on its own text.
    expect(read([item({ language: "de", descriptionHtml: spanish })], "es")[0]?.language).toBe("es");
    // Close languages are not confidently told apart: the declaration stands.
    expect(read([item({ descriptionHtml: russian })], "uk")[0]?.language).toBe("uk");
    // Short text never overrides.
    expect(read([item({ descriptionHtml: "El gobierno anunció el martes." })], "en")[0]?.language).toBe("en");
  });

  it("uses the description as both summary and body when there is no full body, trimming the summary", () => {
    const long = `<p>${"word ".repeat(200)}</p>`;
    const [article] = normalizeItems({
      feedUrl: "https://feed.example/rss",
      feed: feedOf([item({ title: "A", descriptionHtml: long })]),
      now: NOW,
    });
    expect(article?.contentText).toBe("word ".repeat(200).trim());
    expect(article?.summary.length).toBeLessThanOrEqual(600);
    expect(article?.summary).toMatch(/^(word )+word…$/);
  });
});
