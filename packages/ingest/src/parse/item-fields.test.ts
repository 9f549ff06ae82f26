import { measureGrowth, repeatTo } from "@babelwire/core/linear-time";
import { describe, expect, it } from "vitest";
import { normalizeItems } from "../normalize/normalize-items.ts";
import { personName } from "./item-fields.ts";
import { parseFeed } from "./parse-feed.ts";

const NAMESPACES =
  ' xmlns:itunes="http://www.itunes.com/DTDs/Podcast-1.0.dtd" xmlns:media="http://search.yahoo.com/mrss/"' +
  ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"';
const rssItem = (inner: string) =>
  `<rss version="2.0"${NAMESPACES}><channel><title>T</title><item>${inner}</item></channel></rss>`;
const atomEntry = (inner: string) =>
  `<feed xmlns="http://www.w3.org/2005/Atom"${NAMESPACES}><title>T</title><entry>${inner}</entry></feed>`;

async function firstItem(xml: string) {
  const [item] = (await parseFeed(xml)).items;
  if (item === undefined) throw new Error("no item");
  return item;
}

describe("extension elements feeds use for fields our articles have", () => {
  it("takes authors from dc:author and itunes:author after dc:creator and author", async () => {
    const item = await firstItem(
      rssItem(
        "<itunes:author>Pod Host</itunes:author><dc:author>Desk Editor</dc:author>" +
          "<author>ann@news.example (Ann Roe)</author><dc:creator>Jo Doe</dc:creator>",
      ),
    );
    expect(item.authors).toEqual(["Jo Doe", "Desk Editor", "Ann Roe", "Pod Host"]);
  });

  it("keeps an Atom author's e-mail address when the author has no name", async () => {
    const item = await firstItem(
      atomEntry("<author><email>one@news.example</email></author><author><name>Two</name><email>t@x</email></author>"),
    );
    expect(item.authors).toEqual(["one@news.example", "Two"]);
  });

  it("reads categories in document order from category, media:category, itunes:category (nested) and tags", async () => {
    const item = await firstItem(
      rssItem(
        "<tags>tag one, tag two</tags><category>Politics</category>" +
          '<itunes:category text="Technology"><itunes:category text="Gadgets"/></itunes:category>' +
          '<media:category scheme="urn:x" label="ignored label">World</media:category>' +
          "<media:group><media:category>Video</media:category></media:group><dc:subject>Economy</dc:subject>",
      ),
    );
    expect(item.categories).toEqual([
      "tag one",
      "tag two",
      "Politics",
      "Technology",
      "Gadgets",
      "World",
      "Video",
      "Economy",
    ]);
  });

  it("falls back to dc:description, itunes:summary and media:description for an item's description", async () => {
    expect((await firstItem(rssItem("<dc:description>From DC</dc:description>"))).descriptionHtml).toBe("From DC");
    expect((await firstItem(rssItem("<itunes:summary>Episode notes</itunes:summary>"))).descriptionHtml).toBe(
      "Episode notes",
    );
    const inGroup = atomEntry("<title>V</title><media:group><media:description>Clip</media:description></media:group>");
    expect((await firstItem(inGroup)).descriptionHtml).toBe("Clip");
    // The item's own description wins over every extension.
    const both = rssItem("<description>Own</description><dc:description>DC</dc:description>");
    expect((await firstItem(both)).descriptionHtml).toBe("Own");
  });

  it("takes media:title as the title of an item that has none, not over its own title", async () => {
    expect((await firstItem(rssItem("<media:title>bar</media:title>"))).title).toBe("bar");
    expect((await firstItem(rssItem("<title>Own</title><media:title>bar</media:title>"))).title).toBe("Own");
    const youtube = atomEntry("<media:group><media:title>Clip title</media:title></media:group>");
    expect((await firstItem(youtube)).title).toBe("Clip title");
  });

  it("dates an item by dcterms:issued when it has no other publication date", async () => {
    const feed = await parseFeed(rssItem("<title>A</title><dcterms:issued>2003-12-31T10:14:55Z</dcterms:issued>"));
    const [article] = normalizeItems({ feedUrl: "https://f.example/", feed, now: new Date("2024-01-01T00:00:00Z") });
    expect(article?.publishedAt).toBe("2003-12-31T10:14:55.000Z");
  });

  it("carries the extension fields into the normalized article", async () => {
    const feed = await parseFeed(
      rssItem("<title>A</title><itunes:author>Mark</itunes:author><itunes:summary>Notes &amp; more</itunes:summary>"),
    );
    const [article] = normalizeItems({ feedUrl: "https://f.example/", feed, now: new Date("2024-01-01T00:00:00Z") });
    expect(article?.authors).toEqual(["Mark"]);
    expect(article?.contentText).toBe("Notes & more");
  });
});

describe("RSS written with prefixes or odd case", () => {
  it("reads RSS 1.0 whose own elements carry a prefix, ignoring a clashing module's element", async () => {
    const feed = await parseFeed(
      '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:rss="http://purl.org/rss/1.0/" xmlns:x="urn:x">' +
        '<rss:channel rdf:about="https://n.example/"><rss:title>Feed</rss:title><rss:link>https://n.example/</rss:link></rss:channel>' +
        '<rss:item rdf:about="https://n.example/1"><rss:title>One</rss:title><x:description>wrong</x:description>' +
        "<rss:description>right</rss:description></rss:item></rdf:RDF>",
    );
    expect(feed.title).toBe("Feed");
    expect(feed.items.map((item) => [item.id, item.title, item.descriptionHtml])).toEqual([
      ["https://n.example/1", "One", "right"],
    ]);
  });

  it("reads RSS 2.0 in UserLand's namespace under a prefix", async () => {
    const feed = await parseFeed(
      '<r:rss version="2.0" xmlns:r="http://backend.userland.com/rss2"><r:channel><r:title>F</r:title>' +
        "<r:item><r:title>Item</r:title><r:pubDate>Sat, 28 Sep 2002 21:00:02 GMT</r:pubDate></r:item></r:channel></r:rss>",
    );
    expect(feed.items[0]?.title).toBe("Item");
    expect(feed.items[0]?.published).toBe("Sat, 28 Sep 2002 21:00:02 GMT");
  });

  it("leaves a prefix bound to another namespace alone", async () => {
    const feed = await parseFeed(rssItem('<title>A</title><x:title xmlns:x="urn:other">B</x:title>'));
    expect(feed.items[0]?.title).toBe("A");
  });

  it("reads RSS elements written in odd case as the elements they are", async () => {
    const feed = await parseFeed(
      "<rss><channel><TiTlE>Example</TiTlE><ITEM><Title>A</Title><PUBDATE>x</PUBDATE></ITEM></channel></rss>",
    );
    expect(feed.title).toBe("Example");
    expect(feed.items.map((item) => [item.title, item.published])).toEqual([["A", "x"]]);
  });
});

describe("personName", () => {
  it("keeps the name of a name-and-address pair, and an address alone", () => {
    expect(personName("jo@x.org (Jo Doe)")).toBe("Jo Doe");
    expect(personName("Jo Doe (jo@x.org)")).toBe("Jo Doe");
    expect(personName("Jo Doe <jo@x.org>")).toBe("Jo Doe");
    expect(personName("jo@x.org")).toBe("jo@x.org");
    expect(personName("Jo Doe (Kyiv)")).toBe("Jo Doe (Kyiv)");
  });

  // The regular expressions it used before, as the oracle: they are only slow, not wrong.
  function byExpressions(text: string): string {
    const email = /^[^\s@()<>]+@[^\s@()<>]+$/;
    const parenthesized = text.match(/^(.*?)\s*\(([^)]+)\)\s*$/);
    if (parenthesized) {
      const [, outside = "", inside = ""] = parenthesized;
      if (email.test(outside.trim())) return inside.trim();
      if (email.test(inside.trim()) && outside.trim() !== "") return outside.trim();
      return text;
    }
    return text.match(/^(.+?)\s*<[^>]*@[^>]*>\s*$/)?.[1] ?? text;
  }

  it("reads every short text as the regular expressions it replaces did", () => {
    const pieces = ["a", "jo@x.org", "@", "(", ")", "<", ">", " ", "\n", "Jo"];
    let seed = 20;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let round = 0; round < 20_000; round++) {
      const text = Array.from(
        { length: 1 + Math.floor(random() * 9) },
        () => pieces[Math.floor(random() * pieces.length)],
      ).join("");
      expect(personName(text), JSON.stringify(text)).toBe(byExpressions(text));
    }
  });

  it.each([
    ["opening parentheses", "("],
    ["brackets with at signs", "<@"],
    ["a bracket opened with spaces and at signs", "< @"],
  ])("reads 1 MB of %s in linear time (the expressions took cubic time)", async (_name, unit) => {
    const growth = await measureGrowth(personName, (chars) => `Jo ${repeatTo(unit, chars)}>)`);
    expect(growth.largeMs).toBeLessThan(growth.boundMs);
  });
});
