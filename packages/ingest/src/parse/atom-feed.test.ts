import { describe, expect, it } from "vitest";
import { normalizeItems } from "../normalize/normalize-items.ts";
import { parseFeed } from "./parse-feed.ts";

const NOW = new Date("2024-01-01T00:00:00Z");
const atom = (entries: string, feedAttributes = "") =>
  `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"${feedAttributes}><title>T</title>${entries}</feed>`;

async function firstItem(xml: string) {
  const feed = await parseFeed(xml, { url: "https://feed.example/atom.xml" });
  const [item] = feed.items;
  if (item === undefined) throw new Error("no item");
  return item;
}

describe("Atom entries", () => {
  it("takes the inner markup of an xhtml content's div, without the div", async () => {
    const item = await firstItem(
      atom(
        '<entry><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>One <b>bold</b> &amp; <a href="/x">link</a></p><br/></div></content></entry>',
      ),
    );
    expect(item.contentHtml).toBe('<p>One <b>bold</b> &amp; <a href="/x">link</a></p><br>');
  });

  it("reads an xhtml title as markup whose text becomes the title", async () => {
    const feed = await parseFeed(
      atom(
        '<entry><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">A <i>fine</i> day</div></title><id>1</id></entry>',
      ),
    );
    const [article] = normalizeItems({ feedUrl: "https://feed.example/", feed, now: NOW });
    expect(article?.title).toBe("A fine day");
  });

  it("reads escaped HTML in type=html content as markup", async () => {
    const item = await firstItem(atom('<entry><content type="html">&lt;p&gt;Hi&lt;/p&gt;</content></entry>'));
    expect(item.contentHtml).toBe("<p>Hi</p>");
  });

  it("decodes Atom 0.3 mode=base64 and Atom 1.0 binary-typed text", async () => {
    const base64 = Buffer.from("<p>Über</p>").toString("base64");
    const legacy = await firstItem(
      `<feed version="0.3" xmlns="http://purl.org/atom/ns#"><entry><content type="text/html" mode="base64">${base64}</content></entry></feed>`,
    );
    expect(legacy.contentHtml).toBe("<p>Über</p>");
    const binary = await firstItem(atom(`<entry><summary type="application/octet-stream">${base64}</summary></entry>`));
    expect(binary.descriptionHtml).toBe("<p>Über</p>");
  });

  it("leaves text under a made-up type as written when it is not base64 of UTF-8 text", async () => {
    const item = await firstItem(atom('<entry><title type="application/x-custom">test</title></entry>'));
    expect(item.title).toBe("test");
  });

  it("offers out-of-line content (content src) as a medium", async () => {
    const item = await firstItem(atom('<entry><content src="https://cdn.example/a.mp4" type="video/mp4"/></entry>'));
    expect(item.contentHtml).toBeNull();
    expect(item.media).toEqual([{ url: "https://cdn.example/a.mp4", type: "video/mp4", caption: null, length: null }]);
  });

  it("resolves links and body URLs against xml:base on the feed, the entry and the content", async () => {
    const xml = atom(
      `<entry xml:base="news/"><id>1</id><link href="2024/story.html"/>
        <content type="html" xml:base="/media/">&lt;img src="pic.jpg"&gt;&lt;a href="more.html"&gt;more&lt;/a&gt;</content></entry>`,
      ' xml:base="https://site.example/world/"',
    );
    const feed = await parseFeed(xml, { url: "https://feed.example/atom.xml" });
    expect(feed.items[0]).toMatchObject({
      baseUrl: "https://site.example/world/news/",
      contentBaseUrl: "https://site.example/media/",
    });
    const [article] = normalizeItems({ feedUrl: "https://feed.example/atom.xml", feed, now: NOW });
    expect(article?.url).toBe("https://site.example/world/news/2024/story.html");
    expect(article?.contentHtml).toContain('src="https://site.example/media/pic.jpg"');
    expect(article?.contentHtml).toContain('href="https://site.example/media/more.html"');
  });

  it("resolves a relative xml:base against the document's URL", async () => {
    const feed = await parseFeed(atom('<entry xml:base="sub/"><link href="a.html"/></entry>'), {
      url: "https://feed.example/feeds/atom.xml",
    });
    const [article] = normalizeItems({ feedUrl: "https://feed.example/feeds/atom.xml", feed, now: NOW });
    expect(article?.url).toBe("https://feed.example/feeds/sub/a.html");
  });

  it("reads TypePad's escaped HTML inside an XHTML div of type=html content as the HTML it is", async () => {
    const typepad = await firstItem(
      atom(
        '<entry><content type="html"><div xmlns="http://www.w3.org/1999/xhtml">Example &lt;b&gt;Atom&lt;/b&gt;</div></content></entry>',
      ),
    );
    expect(typepad.contentHtml).toBe("Example <b>Atom</b>");
    // A plain div (no XHTML namespace) with markup inside stays the markup it is.
    const plain = await firstItem(atom('<entry><content type="html"><div>Example <b>Atom</b></div></content></entry>'));
    expect(plain.contentHtml).toBe("<div>Example <b>Atom</b></div>");
  });
});
