import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import type { FeedItem } from "../feed-item.ts";
import { renderRss } from "./render-rss.ts";

const hostile =
  "Evil ]]> </content:encoded><script>alert(1)</script> & \"quotes\" 'single' \u0001\u0008 emoji 🦊 עברית";

function item(overrides: Partial<FeedItem> = {}): FeedItem {
  return {
    id: "7f0c6c9e-4f36-4b8e-9d2c-5b0f8f0e2a11",
    link: "https://www.ukrinform.net/a.html?x=1&y=2",
    title: "Rusia envía tecnología militar a Corea del Norte",
    summary: "Rusia proporciona a Corea del Norte tecnología avanzada.",
    contentHtml: "<p>El secretario general de la <b>OTAN</b> lo dijo en Budapest.</p>",
    publishedAt: new Date("2024-11-07T12:21:00Z"),
    updatedAt: new Date("2024-11-07T12:30:00Z"),
    authors: ["Ukrinform"],
    categories: ["Política"],
    media: [{ url: "https://static.ukrinform.com/photos/rutte.jpg", type: "image/jpeg", caption: "Mark Rutte" }],
    sourceName: "Ukrinform",
    originalUrl: "https://www.ukrinform.net/a.html",
    originalLanguage: "en",
    reviewed: false,
    ...overrides,
  };
}

function render(items: FeedItem[], lang = "es"): string {
  return renderRss({
    lang,
    selfUrl: `https://babelwire.example/v1/feeds/${lang}.rss`,
    siteUrl: "https://babelwire.example",
    generatedAt: new Date("2024-11-07T12:30:00Z"),
    items,
  });
}

interface Parsed {
  bozo: number;
  title: string;
  language: string | null;
  entries: Array<{ id: string; title: string; content: string | null; enclosures: string[] }>;
}

/** Python feedparser, an independent client, reads what partners' readers would read. */
function feedparser(xml: string): Parsed {
  const script = `import feedparser,json,sys
d=feedparser.parse(sys.stdin.buffer.read())
print(json.dumps({'bozo': int(bool(d.bozo)), 'title': d.feed.get('title'), 'language': d.feed.get('language'), 'entries': [{'id': e.id, 'title': e.title, 'content': e.content[0].value if 'content' in e else None, 'enclosures': [x.href for x in e.get('enclosures', [])]} for e in d.entries]}))`;
  const run = spawnSync("/usr/bin/python3", ["-c", script], { input: xml, encoding: "utf8" });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as Parsed;
}

function xmllint(xml: string): { status: number | null; stderr: string } {
  const run = spawnSync("xmllint", ["--noout", "-"], { input: xml, encoding: "utf8" });
  return { status: run.status, stderr: run.stderr };
}

describe("renderRss", () => {
  it("is well-formed and round-trips through feedparser even with hostile strings everywhere", () => {
    const evil = item({
      id: "evil-1",
      title: hostile,
      summary: hostile,
      contentHtml: `<p>${hostile}</p>`,
      authors: [hostile],
      categories: [hostile],
      sourceName: hostile,
      media: [{ url: 'https://x.example/a.jpg?a=1&b="2"', type: "image/jpeg", caption: hostile }],
    });
    const xml = render([item(), evil, item({ id: "third", media: [] })]);
    expect(xmllint(xml)).toEqual({ status: 0, stderr: "" });
    const parsed = feedparser(xml);
    expect(parsed.bozo).toBe(0);
    expect(parsed.entries.map((entry) => entry.id)).toEqual([
      "urn:babelwire:7f0c6c9e-4f36-4b8e-9d2c-5b0f8f0e2a11",
      "urn:babelwire:evil-1",
      "urn:babelwire:third",
    ]);
    const withoutControls = hostile.replaceAll("\u0001", "").replaceAll("\u0008", "");
    expect(parsed.entries[1]?.title).toBe(withoutControls);
    // The CDATA held: the body arrives whole after the fake `]]>` (feedparser itself drops the <script>).
    expect(parsed.entries[1]?.content).toMatch(/^<p>Evil \]\]> .*'single' +emoji 🦊 עברית<\/p>/);
    expect(parsed.entries[0]?.enclosures).toEqual(["https://static.ukrinform.com/photos/rutte.jpg"]);
    expect(parsed.entries[0]?.content).toContain("<b>OTAN</b>");
  });

  it("names the channel in the feed's language and credits the agency and original", () => {
    const spanish = feedparser(render([item()], "es"));
    const catalan = feedparser(render([item()], "ca"));
    const english = feedparser(render([item()], "en"));
    expect(spanish.title).toBe("Babelwire — noticias en español");
    expect(catalan.title).toBe("Babelwire — notícies en català");
    expect(english.title).toBe("Babelwire — news in English");
    expect(spanish.language).toBe("es");
    expect(spanish.entries[0]?.content).toContain(
      "Fuente: Ukrinform. Original (inglés): https://www.ukrinform.net/a.html. Traducción automática.",
    );
    const reviewed = feedparser(render([item({ reviewed: true })], "ca"));
    expect(reviewed.entries[0]?.content).toContain("Traduït i revisat per un editor.");
  });

  it("falls back to English strings for a language without resources", () => {
    const portuguese = feedparser(render([item()], "pt-BR"));
    expect(portuguese.title).toMatch(/^Babelwire — news in portugu/i);
    expect(portuguese.entries[0]?.content).toContain("Machine translation.");
  });

  it("keeps an item's guid when its title changes", () => {
    const before = feedparser(render([item()])).entries[0]?.id;
    const after = feedparser(render([item({ title: "Otro título" })])).entries[0]?.id;
    expect(after).toBe(before);
  });
});
