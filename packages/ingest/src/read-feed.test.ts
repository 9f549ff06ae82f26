import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFeed } from "./read-feed.ts";
import { corporaAvailable, corporaPath } from "./testdata/corpora.ts";

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
