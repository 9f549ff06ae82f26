import { describe, expect, it } from "vitest";
import { normalizeItems } from "../normalize/normalize-items.ts";
import { parseFeed } from "./parse-feed.ts";

const NOW = new Date("2024-01-01T00:00:00Z");
const rss = (items: string, rssAttributes = "") =>
  `<?xml version="1.0"?><rss version="2.0"${rssAttributes}><channel><title>T</title><link>https://site.example/</link>${items}</channel></rss>`;

describe("RSS items", () => {
  it("reads an xhtml:body as the item's body", async () => {
    const feed = await parseFeed(
      rss(
        '<item><title>A</title><xhtml:body xmlns:xhtml="http://www.w3.org/1999/xhtml"><xhtml:p>Full <xhtml:em>text</xhtml:em></xhtml:p></xhtml:body></item>',
      ),
    );
    expect(feed.items[0]?.contentHtml).toBe("<p>Full <em>text</em></p>");
  });

  it("reads Yandex's plain-text yandex:full-text as escaped paragraphs, after content:encoded", async () => {
    const yandex = ' xmlns:yandex="http://news.yandex.ru"';
    const text = "Київ, 5 листопада.\nПерший абзац <b>не розмітка</b> & більше.\n\n  Другий абзац.  ";
    const feed = await parseFeed(
      rss(
        `<item><title>A</title><description>Lead</description><yandex:full-text>${text.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</yandex:full-text></item>`,
        yandex,
      ),
    );
    expect(feed.items[0]?.contentHtml).toBe(
      "<p>Київ, 5 листопада.</p><p>Перший абзац &lt;b&gt;не розмітка&lt;/b&gt; &amp; більше.</p><p>Другий абзац.</p>",
    );
    const both = await parseFeed(
      rss(
        '<item><title>A</title><content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/">&lt;p&gt;Encoded&lt;/p&gt;</content:encoded><yandex:full-text>Plain</yandex:full-text></item>',
        yandex,
      ),
    );
    expect(both.items[0]?.contentHtml).toBe("<p>Encoded</p>");
  });

  it("reads a body in the XHTML namespace, preferring content:encoded when both are there", async () => {
    const body = '<body xmlns="http://www.w3.org/1999/xhtml"><p>Body</p></body>';
    const [onlyBody] = (await parseFeed(rss(`<item><title>A</title>${body}</item>`))).items;
    expect(onlyBody?.contentHtml).toBe("<p>Body</p>");
    const both = await parseFeed(
      rss(
        `<item><title>A</title><content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/">&lt;p&gt;Encoded&lt;/p&gt;</content:encoded>${body}</item>`,
      ),
    );
    expect(both.items[0]?.contentHtml).toBe("<p>Encoded</p>");
  });

  it("keeps unescaped markup inside a description as markup", async () => {
    const feed = await parseFeed(rss("<item><title>A</title><description>Hello <b>world</b></description></item>"));
    expect(feed.items[0]?.descriptionHtml).toBe("Hello <b>world</b>");
  });

  it("resolves item links and body URLs against xml:base on the rss element and the item", async () => {
    const feed = await parseFeed(
      rss(
        '<item xml:base="2024/"><title>A</title><link>post/1</link><description>&lt;a href="more"&gt;m&lt;/a&gt;</description></item>',
        ' xml:base="http://example.org/feeds/"',
      ),
      { url: "https://feed.example/rss" },
    );
    const [article] = normalizeItems({ feedUrl: "https://feed.example/rss", feed, now: NOW });
    expect(article?.url).toBe("http://example.org/feeds/2024/post/1");
    expect(article?.contentHtml).toContain('href="http://example.org/feeds/2024/more"');
  });

  it("without xml:base, resolves body URLs against the item's link as before", async () => {
    const feed = await parseFeed(
      rss('<item><title>A</title><link>/world/a.html</link><description>&lt;img src="p.jpg"&gt;</description></item>'),
    );
    const [article] = normalizeItems({ feedUrl: "https://feed.example/rss", feed, now: NOW });
    expect(article?.url).toBe("https://site.example/world/a.html");
    expect(article?.contentHtml).toContain('src="https://site.example/world/p.jpg"');
  });
});
