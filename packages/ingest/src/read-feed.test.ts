import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { corporaAvailable, corporaPath } from "@babelwire/core/corpora";
import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIsolatePool, ISOLATE_TIMEOUT } from "./isolate/isolate-pool.ts";
import { ISOLATE_FEED_MIN_CHARS, readFeed } from "./read-feed.ts";

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const RUSSIAN_FEED = `<?xml version="1.0" encoding="windows-1251"?>
<rss version="2.0"><channel><title>Новости</title><link>https://ru.example/</link><language>ru</language><ttl>30</ttl>
<item><title>Главное за день</title><link>/news/1</link><description>Сегодня в Москве прошло заседание правительства, на котором обсуждали бюджет.</description></item>
</channel></rss>`;

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url === "/page") {
      response.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><html><body>Hi</body></html>");
      return;
    }
    if (request.headers["if-none-match"] === '"r1"') {
      response.writeHead(304, { etag: '"r1"', "cache-control": "max-age=120" }).end();
      return;
    }
    response.writeHead(200, {
      "content-type": "application/rss+xml; charset=windows-1251",
      etag: '"r1"',
      "cache-control": "max-age=600",
    });
    response.end(iconv.encode(RUSSIAN_FEED, "windows-1251"));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe("readFeed", () => {
  it.runIf(corporaAvailable())("reads a real RSS 2.0 file into articles with absolute URLs and ISO dates", async () => {
    const result = await readFeed({ url: corporaPath("rss-parser/test/input/guardian.rss") });
    if (result.notModified) throw new Error("a first read of a file cannot be not-modified");
    expect(result.title).toBe("The Guardian");
    expect(result.articles.length).toBeGreaterThan(20);
    for (const article of result.articles) {
      expect(article.url).toMatch(/^https:\/\/www\.theguardian\.com\//);
      expect(article.publishedAt).toMatch(ISO_UTC);
      expect(article.updatedAt).toMatch(ISO_UTC);
      expect(article.language).toBe("en-GB");
      expect(article.title).not.toBe("");
      expect(article.contentHtml).not.toMatch(/<script|\son[a-z]+=/i);
    }
    expect(result.articles[0]?.publishedAt).toBe("2018-01-31T07:26:05.000Z");
  });

  it("reads a windows-1251 feed over HTTP, with its freshness, and answers not-modified to its ETag", async () => {
    const result = await readFeed({ url: `${base}/feed` }, { now: new Date("2025-01-01T00:00:00Z") });
    if (result.notModified) throw new Error("the first read must return the feed");
    expect(result).toMatchObject({ status: 200, etag: '"r1"', title: "Новости", ttlMinutes: 30, cacheSeconds: 600 });
    expect(result.articles[0]).toMatchObject({
      url: "https://ru.example/news/1",
      title: "Главное за день",
      language: "ru",
      publishedAt: "2025-01-01T00:00:00.000Z",
    });
    const again = await readFeed({ url: `${base}/feed`, etag: result.etag });
    expect(again).toEqual({ notModified: true, status: 304, etag: '"r1"', lastModified: null, cacheSeconds: 120 });
  });

  it("fails a web page with FEED_NOT_A_FEED", async () => {
    await expect(readFeed({ url: `${base}/page` })).rejects.toMatchObject({ code: "FEED_NOT_A_FEED" });
  });
});

describe("readFeed's feed title", () => {
  it("is text, without the markup a feed's title may carry", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "read-feed-title-"));
    const file = path.join(dir, "feed.xml");
    await writeFile(
      file,
      '<rss version="2.0"><channel><title>safe&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;news&lt;/b&gt;</title></channel></rss>',
    );
    const result = await readFeed({ url: file });
    await rm(dir, { recursive: true });
    if (result.notModified) throw new Error("a file is always read");
    expect(result.title).toBe("safe news");
  });
});

describe("readFeed with an isolate pool", () => {
  const large = `<p>Grain talks in <a href="/kyiv">Kyiv</a>.</p>${"<div><b><i>deep".repeat(20_000)}`;
  const feedXml = `<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><link>https://wire.example/</link>
<item><guid>small</guid><title>Small</title><link>https://wire.example/small</link><description>A short item about the grain talks.</description></item>
<item><guid>large</guid><title>Large</title><link>https://wire.example/large/story</link><description><![CDATA[${large}]]></description></item>
</channel></rss>`;
  let dir: string;
  let file: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "isolate-feed-"));
    file = path.join(dir, "feed.xml");
    await writeFile(file, feedXml);
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("sanitizes a large body in a worker thread exactly as in the process", async () => {
    const isolate = createIsolatePool({ size: 1 });
    try {
      const inline = await readFeed({ url: file });
      const isolated = await readFeed({ url: file }, { isolate });
      if (inline.notModified || isolated.notModified) throw new Error("a file is never not-modified");
      expect(isolated.articles.map((article) => article.contentHtml)).toEqual(
        inline.articles.map((article) => article.contentHtml),
      );
      expect(isolated.articles[1]?.contentHtml).toContain('href="https://wire.example/kyiv"');
      expect(isolated.itemErrors).toEqual([]);
    } finally {
      await isolate.close();
    }
  });

  it("leaves out an item whose body runs past the time limit, with its code, and takes the rest", async () => {
    // 1 ms: no worker sanitizes 600 KB that fast, so the large body always runs past it.
    const isolate = createIsolatePool({ size: 1, timeoutMs: 1 });
    try {
      const result = await readFeed({ url: file }, { isolate });
      if (result.notModified) throw new Error("a file is never not-modified");
      expect(result.articles.map((article) => article.guid)).toEqual(["small"]);
      expect(result.itemErrors).toEqual([{ item: "large", code: ISOLATE_TIMEOUT, message: expect.any(String) }]);
    } finally {
      await isolate.close();
    }
  });
});

describe("readFeed of a large feed with an isolate pool", () => {
  let dir: string;
  let big: string;
  let broken: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "isolate-big-feed-"));
    const items = Array.from(
      { length: 12_000 },
      (_, index) =>
        `<item><guid>g${index}</guid><title>Grain ship ${index}</title><link>https://wire.example/${index}</link><description>The ship left Odesa with wheat.</description></item>`,
    ).join("");
    const xml = `<?xml version="1.0"?><rss version="2.0"><channel><title>Wire &amp; more</title><link>https://wire.example/</link>${items}</channel></rss>`;
    expect(xml.length).toBeGreaterThan(ISOLATE_FEED_MIN_CHARS);
    big = path.join(dir, "big.xml");
    broken = path.join(dir, "broken.xml");
    await writeFile(big, xml);
    await writeFile(broken, xml.replace("</channel>", ""));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("reads it whole in a worker thread, as in the process", async () => {
    const isolate = createIsolatePool({ size: 1 });
    try {
      const now = new Date("2026-01-01T00:00:00Z");
      const inline = await readFeed({ url: big }, { now });
      const isolated = await readFeed({ url: big }, { now, isolate });
      expect(isolated).toEqual(inline);
      if (isolated.notModified) throw new Error("a file is never not-modified");
      expect(isolated.articles).toHaveLength(12_000);
      expect(isolated.title).toBe("Wire & more");
    } finally {
      await isolate.close();
    }
  });

  it("keeps the parser's code for a broken feed read in a worker, and fails one past the time limit", async () => {
    const isolate = createIsolatePool({ size: 1 });
    const hasty = createIsolatePool({ size: 1, timeoutMs: 1 });
    try {
      await expect(readFeed({ url: broken }, { isolate })).rejects.toMatchObject({ code: "FEED_PARSE" });
      await expect(readFeed({ url: big }, { isolate: hasty })).rejects.toMatchObject({
        code: ISOLATE_TIMEOUT,
        permanent: true,
      });
    } finally {
      await Promise.all([isolate.close(), hasty.close()]);
    }
  });
});
