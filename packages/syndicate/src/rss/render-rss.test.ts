import { describe, expect, it } from "vitest";
import { attributionHtml } from "../attribution.ts";
import type { FeedItem } from "../feed-item.ts";
import { feedparser } from "../testing/feedparser.ts";
import { xmllint, xpathString } from "../testing/xmllint.ts";
import { stripInvalidXmlChars } from "../xml/escape.ts";
import { type RssFeed, renderRss } from "./render-rss.ts";

/** Breaks out of CDATA and elements, smuggles markup, controls, quotes, astral and right-to-left text. */
const HOSTILE =
  "Evil ]]> </content:encoded><script>alert(1)</script> & \"quotes\" 'single' \u0001\u0008\uFFFE emoji 🦊 عربي עברית";
const HOSTILE_CLEAN = stripInvalidXmlChars(HOSTILE);

function item(overrides: Partial<FeedItem> = {}): FeedItem {
  return {
    id: "7f0c6c9e-4f36-4b8e-9d2c-5b0f8f0e2a11",
    link: "https://babelwire.example/es/articles/7f0c6c9e?x=1&y=2",
    title: "Rusia envía tecnología militar a Corea del Norte",
    summary: "Rusia proporciona a Corea del Norte tecnología avanzada.",
    contentHtml: "<p>El secretario general de la <b>OTAN</b> lo dijo en Budapest.</p>",
    publishedAt: new Date("2024-11-07T12:21:00Z"),
    updatedAt: new Date("2024-11-07T12:30:00Z"),
    authors: ["Ukrinform"],
    categories: ["Política"],
    media: [
      {
        url: "https://static.ukrinform.com/photos/rutte.jpg",
        type: "image/jpeg",
        caption: "Mark Rutte",
        length: 12345,
      },
    ],
    sourceName: "Ukrinform",
    originalUrl: "https://www.ukrinform.net/rubric-polytics/3925071.html",
    originalLanguage: "en",
    reviewed: false,
    ...overrides,
  };
}

function feed(items: FeedItem[], lang = "es"): RssFeed {
  return {
    lang,
    selfUrl: `https://babelwire.example/v1/feeds/${lang}.rss?token=a&b`,
    siteUrl: "https://babelwire.example",
    generatedAt: new Date("2024-11-07T12:30:00Z"),
    items,
  };
}

const evil = item({
  id: "evil-1 <&>",
  link: 'https://babelwire.example/a?q="x"&r=<y>',
  title: HOSTILE,
  summary: `${HOSTILE}\nsecond line`,
  contentHtml: `<p>${HOSTILE}</p>`,
  authors: [HOSTILE, "Second Author"],
  categories: [HOSTILE],
  sourceName: HOSTILE,
  originalUrl: 'https://www.ukrinform.net/a?b="c"&d=]]>',
  media: [
    { url: "https://x.example/clip.mp4", type: "video/mp4", caption: null },
    { url: 'https://x.example/a.jpg?a=1&b="2"', type: "image/jpeg", caption: HOSTILE },
    { url: "https://x.example/b.png", type: null, caption: null },
  ],
  reviewed: true,
});
const plain = item({ id: "third", media: [], authors: [], categories: [], originalUrl: null });

/** What a reader displays for an HTML text field: its entities decoded. */
function shownText(html: string | null | undefined): string {
  return (html ?? "").replace(
    /&(lt|gt|quot|#39|amp);/g,
    (_, entity: string) => ({ lt: "<", gt: ">", quot: '"', "#39": "'", amp: "&" })[entity] ?? "",
  );
}

describe("renderRss", () => {
  const xml = renderRss(feed([item(), evil, plain]));

  it("stays well-formed XML with hostile strings in every field", () => {
    expect(xmllint(xml)).toEqual({ status: 0, stderr: "" });
    for (const forbidden of ["\u0001", "\u0008", "\uFFFE"]) expect(xml).not.toContain(forbidden);
  });

  it("round-trips ids, titles, summaries and full HTML bodies exactly through feedparser", () => {
    const parsed = feedparser(xml);
    expect(parsed.bozo, parsed.bozoException ?? "").toBe(false);
    expect(parsed.entries.map((entry) => entry.id)).toEqual([
      "urn:babelwire:7f0c6c9e-4f36-4b8e-9d2c-5b0f8f0e2a11",
      "urn:babelwire:evil-1 <&>",
      "urn:babelwire:third",
    ]);
    // Titles and descriptions are HTML to RSS readers: the text a reader shows is the decoded HTML.
    expect(parsed.entries.map((entry) => shownText(entry.title))).toEqual([item().title, HOSTILE_CLEAN, item().title]);
    expect(shownText(parsed.entries[1]?.summary)).toBe(`${HOSTILE_CLEAN}\nsecond line`);
    expect(parsed.entries[1]?.title).not.toContain("<script>");
    expect(parsed.entries[1]?.link).toBe(evil.link);
    expect(parsed.entries[1]?.content).toBe(`<p>${HOSTILE_CLEAN}</p>\n${attributionHtml("es", evil)}`);
    expect(parsed.entries[0]?.content).toBe(`${item().contentHtml}\n${attributionHtml("es", item())}`);
  });

  it("ends every body with the attribution paragraph, the original linked", () => {
    const parsed = feedparser(xml);
    expect(parsed.entries[0]?.content).toMatch(
      /<p class="babelwire-attribution">Fuente: Ukrinform\. Original \(inglés\): <a href="https:\/\/www\.ukrinform\.net\/rubric-polytics\/3925071\.html">[^<]+<\/a>\. Traducción automática\.<\/p>$/,
    );
    expect(parsed.entries[1]?.content).toMatch(/Traducido y revisado por un editor\.<\/p>$/);
    expect(parsed.entries[2]?.content).toMatch(/Original \(inglés\): —\. Traducción automática\.<\/p>$/);
  });

  it("carries creators, categories, one image enclosure with the source's length and every medium", () => {
    const parsed = feedparser(xml);
    expect(parsed.entries[1]?.authors).toEqual([HOSTILE_CLEAN, "Second Author"]);
    expect(parsed.entries[1]?.tags).toEqual([HOSTILE_CLEAN]);
    expect(parsed.entries[0]?.enclosures).toEqual([
      { href: "https://static.ukrinform.com/photos/rutte.jpg", type: "image/jpeg", length: "12345" },
    ]);
    // The video is not the enclosure: the first image is; its length unknown, 0 by convention.
    expect(parsed.entries[1]?.enclosures).toEqual([
      { href: 'https://x.example/a.jpg?a=1&b="2"', type: "image/jpeg", length: "0" },
    ]);
    expect(parsed.entries[1]?.media).toEqual([
      "https://x.example/clip.mp4",
      'https://x.example/a.jpg?a=1&b="2"',
      "https://x.example/b.png",
    ]);
    expect(parsed.entries[2]?.enclosures).toEqual([]);
    const evilItem = "/rss/channel/item[2]";
    expect(xpathString(xml, `${evilItem}/*[local-name()='content'][2]/*[local-name()='description']`)).toBe(
      HOSTILE_CLEAN,
    );
    expect(xpathString(xml, `${evilItem}/*[local-name()='content'][2]/@medium`)).toBe("image");
    expect(xpathString(xml, `${evilItem}/*[local-name()='content'][1]/@medium`)).toBe("");
    expect(xpathString(xml, `${evilItem}/*[local-name()='content'][3]/@medium`)).toBe("image");
  });

  it("infers an untyped image's enclosure type from its file name", () => {
    const png = renderRss(feed([item({ media: [{ url: "https://x.example/b.PNG?w=1", type: null, caption: null }] })]));
    expect(xpathString(png, "/rss/channel/item/enclosure/@type")).toBe("image/png");
    expect(xpathString(png, "/rss/channel/item/enclosure/@length")).toBe("0");
  });

  it("describes the channel: language, self link, generator, dates and ttl", () => {
    const channel = "/rss/channel";
    expect(xpathString(xml, "/rss/@version")).toBe("2.0");
    expect(xpathString(xml, `${channel}/link`)).toBe("https://babelwire.example");
    expect(xpathString(xml, `${channel}/language`)).toBe("es");
    expect(xpathString(xml, `${channel}/*[name()='dc:language']`)).toBe("es");
    expect(xpathString(xml, `${channel}/*[name()='atom:link'][@rel='self']/@href`)).toBe(
      "https://babelwire.example/v1/feeds/es.rss?token=a&b",
    );
    expect(xpathString(xml, `${channel}/*[name()='atom:link']/@type`)).toBe("application/rss+xml");
    expect(xpathString(xml, `${channel}/generator`)).toBe("Babelwire");
    expect(xpathString(xml, `${channel}/lastBuildDate`)).toBe("Thu, 07 Nov 2024 12:30:00 GMT");
    expect(xpathString(xml, `${channel}/pubDate`)).toBe("Thu, 07 Nov 2024 12:30:00 GMT");
    expect(xpathString(xml, `${channel}/ttl`)).toBe("5");
    expect(xpathString(xml, `${channel}/item[1]/pubDate`)).toBe("Thu, 07 Nov 2024 12:21:00 GMT");
    expect(xpathString(xml, `${channel}/item[1]/*[name()='dc:language']`)).toBe("es");
    expect(xpathString(xml, `${channel}/item[1]/guid/@isPermaLink`)).toBe("false");
  });

  it("names the channel and credits the original in the feed's language", () => {
    const spanish = feedparser(renderRss(feed([item()], "es")));
    const catalan = feedparser(renderRss(feed([item({ reviewed: true })], "ca")));
    const english = feedparser(renderRss(feed([item()], "en")));
    expect(spanish.title).toBe("Babelwire — noticias en español");
    expect(catalan.title).toBe("Babelwire — notícies en català");
    expect(english.title).toBe("Babelwire — news in English");
    expect(spanish.subtitle).toBe("Noticias de agencia traducidas al español por Babelwire.");
    expect(spanish.language).toBe("es");
    expect(catalan.language).toBe("ca");
    expect(english.entries[0]?.content).toMatch(/Source: Ukrinform\. Original \(English\): .*Machine translation\./);
    expect(catalan.entries[0]?.content).toMatch(
      /Font: Ukrinform\. Original \(anglès\): .*Traduït i revisat per un editor\./,
    );
  });

  it("falls back to English strings for a language without resources", () => {
    const portuguese = feedparser(renderRss(feed([item()], "pt-BR")));
    expect(portuguese.title).toBe("Babelwire — news in português (Brasil)");
    expect(portuguese.language).toBe("pt-BR");
    expect(portuguese.entries[0]?.content).toMatch(/Source: Ukrinform\. Original \(inglês\): .*Machine translation\./);
  });

  it("keeps an item's guid when its title, link and body change", () => {
    const before = feedparser(renderRss(feed([item()]))).entries[0];
    const after = feedparser(
      renderRss(feed([item({ title: "Otro título", link: "https://babelwire.example/b", contentHtml: "<p>v2</p>" })])),
    ).entries[0];
    expect(after?.title).toBe("Otro título");
    expect(after?.id).toBe(before?.id);
    expect(after?.id).toBe("urn:babelwire:7f0c6c9e-4f36-4b8e-9d2c-5b0f8f0e2a11");
  });

  it("renders an empty feed as a valid channel", () => {
    const empty = renderRss(feed([]));
    expect(xmllint(empty)).toEqual({ status: 0, stderr: "" });
    expect(feedparser(empty).entries).toEqual([]);
  });
});
