import { describe, expect, it } from "vitest";
import { FeedError } from "../feed-error.ts";
import { parseFeed } from "./parse-feed.ts";

const RSS = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/">
  <channel>
    <title>Wire</title><link>https://wire.example/</link><language>en-us</language><ttl>15</ttl>
    <item>
      <title>First</title><link>/a/1</link><guid isPermaLink="false">wire-1</guid>
      <description>&lt;p&gt;Short&lt;/p&gt;</description>
      <content:encoded><![CDATA[<p>Long body</p>]]></content:encoded>
      <dc:creator>Ana</dc:creator><dc:creator>Bo</dc:creator>
      <category>World</category><category domain="x">Europe</category>
      <enclosure url="https://cdn.example/a.jpg" type="image/jpeg" length="1"/>
      <media:content url="https://cdn.example/b.jpg" medium="image"><media:description>B caption</media:description></media:content>
      <media:thumbnail url="https://cdn.example/t.jpg"/>
      <pubDate>Tue, 10 Jun 2003 04:00:00 EST</pubDate>
    </item>
  </channel>
</rss>`;

const ATOM = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de">
  <title type="text">Atom Wire</title>
  <link rel="alternate" href="https://atom.example/"/>
  <link rel="self" href="https://atom.example/feed.atom"/>
  <entry>
    <id>urn:uuid:1</id><title type="html">Zwei &amp;amp; drei</title>
    <link rel="alternate" href="https://atom.example/2"/>
    <link rel="enclosure" href="https://atom.example/2.mp3" type="audio/mpeg" title="Audio" length="4096"/>
    <published>2024-03-01T10:00:00+01:00</published><updated>2024-03-02T10:00:00Z</updated>
    <author><name>Carla</name></author><author><name>Dirk</name></author>
    <category term="politik" label="Politik"/>
    <summary>Kurz</summary>
    <content type="html">&lt;p&gt;Lang&lt;/p&gt;</content>
  </entry>
</feed>`;

async function failure(promise: Promise<unknown>): Promise<FeedError> {
  const error = await promise.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof FeedError)) throw new Error(`expected a FeedError, got ${String(error)}`);
  return error;
}

describe("parseFeed", () => {
  it("maps an RSS 2.0 item's guid, bodies, authors, categories, media and date", async () => {
    const feed = await parseFeed(RSS);
    expect(feed).toMatchObject({ title: "Wire", link: "https://wire.example/", language: "en-us", ttlMinutes: 15 });
    expect(feed.items).toEqual([
      {
        id: "wire-1",
        link: "/a/1",
        title: "First",
        contentHtml: "<p>Long body</p>",
        descriptionHtml: "<p>Short</p>",
        published: "Tue, 10 Jun 2003 04:00:00 EST",
        updated: null,
        language: null,
        authors: ["Ana", "Bo"],
        categories: ["World", "Europe"],
        media: [
          { url: "https://cdn.example/a.jpg", type: "image/jpeg", caption: null, length: 1 },
          { url: "https://cdn.example/b.jpg", type: null, caption: "B caption", length: null },
          { url: "https://cdn.example/t.jpg", type: null, caption: null, length: null },
        ],
        baseUrl: null,
        contentBaseUrl: null,
      },
    ]);
  });

  it("maps an Atom 1.0 entry, taking the feed language from xml:lang", async () => {
    const feed = await parseFeed(ATOM);
    expect(feed).toMatchObject({ title: "Atom Wire", link: "https://atom.example/", language: "de" });
    expect(feed.items[0]).toMatchObject({
      id: "urn:uuid:1",
      link: "https://atom.example/2",
      title: "Zwei &amp; drei",
      contentHtml: "<p>Lang</p>",
      descriptionHtml: "Kurz",
      published: "2024-03-01T10:00:00+01:00",
      updated: "2024-03-02T10:00:00Z",
      authors: ["Carla", "Dirk"],
      categories: ["Politik"],
      media: [{ url: "https://atom.example/2.mp3", type: "audio/mpeg", caption: "Audio", length: 4096 }],
    });
  });

  it("parses an RSS 1.0 (RDF) feed", async () => {
    const feed = await parseFeed(`<?xml version="1.0"?>
      <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
        <channel rdf:about="https://rdf.example/"><title>RDF</title><link>https://rdf.example/</link></channel>
        <item rdf:about="https://rdf.example/1"><title>One</title><link>https://rdf.example/1</link></item>
      </rdf:RDF>`);
    expect(feed.title).toBe("RDF");
    expect(feed.items[0]).toMatchObject({ id: "https://rdf.example/1", title: "One" });
  });

  it("parses a JSON Feed 1.1 into the same shape", async () => {
    const feed = await parseFeed(
      JSON.stringify({
        version: "https://jsonfeed.org/version/1.1",
        title: "JSON Wire",
        home_page_url: "https://json.example/",
        language: "ca",
        items: [
          {
            id: 7,
            url: "https://json.example/7",
            title: "Set",
            content_text: "Línia u\n\nLínia dos",
            date_published: "2024-01-01T00:00:00Z",
            authors: [{ name: "Dolors" }],
            tags: ["Cultura"],
            attachments: [{ url: "https://json.example/7.mp3", mime_type: "audio/mpeg", size_in_bytes: 777 }],
          },
        ],
      }),
    );
    expect(feed).toMatchObject({ title: "JSON Wire", link: "https://json.example/", language: "ca" });
    expect(feed.items[0]).toMatchObject({
      id: "7",
      contentHtml: "<p>Línia u</p><p>Línia dos</p>",
      authors: ["Dolors"],
      categories: ["Cultura"],
      media: [{ url: "https://json.example/7.mp3", type: "audio/mpeg", caption: null, length: 777 }],
    });
  });

  it("reads feeds that use HTML entities and bare ampersands XML does not define", async () => {
    const feed = await parseFeed(
      '<rss version="2.0"><channel><title>Caf&eacute; &amp; Co&nbsp;News</title>' +
        "<item><title>Tom & Jerry&rsquo;s</title></item></channel></rss>",
    );
    expect(feed.title).toBe("Café & Co\u00a0News");
    expect(feed.items[0]?.title).toBe("Tom & Jerry’s");
  });

  it("reads a document that still starts with a byte order mark", async () => {
    const feed = await parseFeed(
      `\uFEFF<?xml version="1.0"?><rss version="2.0"><channel><title>BOM</title></channel></rss>`,
    );
    expect(feed.title).toBe("BOM");
  });

  it("fails garbage bytes with FEED_PARSE", async () => {
    const error = await failure(parseFeed("\u0089PNG\r\n\u001a\n\u0000\u0000garbage<<<>>>"));
    expect(error.code).toBe("FEED_PARSE");
  });

  it("fails an empty document with FEED_PARSE", async () => {
    expect((await failure(parseFeed("   "))).code).toBe("FEED_PARSE");
  });

  it("fails an HTML page with FEED_NOT_A_FEED", async () => {
    const page = "<!DOCTYPE html>\n<html lang=en><head><title>Home</title></head><body><p>Hi</body></html>";
    expect((await failure(parseFeed(page))).code).toBe("FEED_NOT_A_FEED");
  });

  it("reads a feed that an HTML DOCTYPE precedes, but still refuses pages with or without <html>", async () => {
    const doctype = '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://site.invalid/">';
    const feed = await parseFeed(
      `<?xml version="1.0"?>${doctype}\n<!-- c -->\n<rss><channel><title>found</title></channel></rss>`,
    );
    expect(feed.title).toBe("found");
    expect((await failure(parseFeed(`${doctype}<html><body>x</body></html>`))).code).toBe("FEED_NOT_A_FEED");
    expect((await failure(parseFeed("<!DOCTYPE html><head><title>Home</title></head>"))).code).toBe("FEED_NOT_A_FEED");
  });

  it("fails well-formed XML that is not a feed with FEED_NOT_A_FEED", async () => {
    const error = await failure(parseFeed('<?xml version="1.0"?><sitemap><loc>https://x.example/</loc></sitemap>'));
    expect(error.code).toBe("FEED_NOT_A_FEED");
  });

  it("fails JSON that is not a JSON Feed with FEED_NOT_A_FEED", async () => {
    expect((await failure(parseFeed('{"status":"ok","items":[]}'))).code).toBe("FEED_NOT_A_FEED");
  });

  it("refuses a billion-laughs document quickly, saying entities are not allowed", async () => {
    const entities = Array.from(
      { length: 9 },
      (_, level) => `<!ENTITY lol${level + 1} "${`&lol${level};`.repeat(10)}">`,
    ).join("");
    const bomb = `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol0 "lol">${entities}]><rss version="2.0"><channel><title>&lol9;</title></channel></rss>`;
    const started = Date.now();
    const error = await failure(parseFeed(bomb));
    expect(error.code).toBe("FEED_PARSE");
    expect(error.message).toMatch(/entities are not allowed/);
    expect(Date.now() - started).toBeLessThan(100);
  });

  it("refuses a document larger than the byte cap", async () => {
    const error = await failure(parseFeed(RSS, { maxBytes: 100 }));
    expect(error.code).toBe("FEED_TOO_LARGE");
  });
});

describe("parseFeed on RSS items found in peers' test suites", () => {
  const item = (inner: string) => `<rss version="2.0"><channel><title>T</title><item>${inner}</item></channel></rss>`;

  it("takes a permalink guid as the link of an item without <link>, but not one marked isPermaLink=false", async () => {
    const permalink = await parseFeed(item("<guid>https://news.example/2002/09/29#a</guid>"));
    expect(permalink.items[0]?.link).toBe("https://news.example/2002/09/29#a");
    const opaque = await parseFeed(item('<guid isPermaLink="false">https://news.example/x</guid>'));
    expect(opaque.items[0]?.link).toBeNull();
    const notUrl = await parseFeed(item("<guid>wire-1</guid>"));
    expect(notUrl.items[0]?.link).toBeNull();
  });

  it("keeps the name of an author given with an e-mail address in any of the usual spellings", async () => {
    const feed = await parseFeed(
      item(
        "<author>jo@news.example (Jo Doe)</author><author>Ann Roe (ann@news.example)</author>" +
          "<author>Bo Li &lt;bo@news.example&gt;</author><author>desk@news.example</author><author>Reuters (Wire)</author>",
      ),
    );
    expect(feed.items[0]?.authors).toEqual(["Jo Doe", "Ann Roe", "Bo Li", "desk@news.example", "Reuters (Wire)"]);
  });
});

describe("parseFeed on JSON Feeds found in peers' test suites", () => {
  it("reads a JSON Feed whose version URL still says http://", async () => {
    const feed = await parseFeed(
      JSON.stringify({
        version: "http://jsonfeed.org/version/1",
        title: "Old",
        items: [{ id: "1", url: "https://old.example/1" }],
      }),
    );
    expect(feed.title).toBe("Old");
    expect(feed.items[0]?.link).toBe("https://old.example/1");
  });

  it("still refuses JSON whose version is not a JSON Feed URL", async () => {
    await expect(parseFeed(JSON.stringify({ version: "1.0", title: "Not", items: [] }))).rejects.toMatchObject({
      code: "FEED_NOT_A_FEED",
    });
  });
});
