import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import { createSource, getArticle } from "@babelwire/db";
import { openRuntime, type Runtime } from "@babelwire/runtime";
import { clearQueuePrefix, testConfig } from "@babelwire/runtime/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { extractFullText } from "./extract-article.ts";
import { pollSource } from "./poll-source.ts";

const paragraphs = readFileSync(resolve(import.meta.dirname, "../../../examples/feeds/ukrinform-sample.xml"), "utf8")
  .split("<![CDATA[")[1]
  ?.split("]]>")[0];

let server: Server;
let port: number;
/** Another private service on the same machine: nothing of it may reach an article. */
let secretServer: Server;
let secretPort: number;
const SECRET_PAGE = `<html><body><article><h1>Credentials</h1><p>${"AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY. ".repeat(8)}</p></article></body></html>`;
let runtime: Runtime;
const job = { id: "x", attempt: 1, maxAttempts: 3 };

function feed(link: string): string {
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><link>http://127.0.0.1:${port}/</link><language>en</language>
<item><guid>lead-${link}</guid><title>NATO chief warns</title><link>${link}</link><description>Russia sends military tech to North Korea…</description></item></channel></rss>`;
}

beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url?.startsWith("/feed")) {
      const target = decodeURIComponent(request.url.split("?to=")[1] ?? "");
      return response.writeHead(200, { "content-type": "application/rss+xml" }).end(feed(target));
    }
    if (request.url === "/article") {
      return response
        .writeHead(200, { "content-type": "text/html; charset=utf-8" })
        .end(`<html><head><title>NATO</title><script>track()</script></head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<div class="ad"><iframe src="https://ads.example/x"></iframe></div><article><h1>NATO chief warns</h1>${paragraphs}</article><footer>© Agency</footer></body></html>`);
    }
    if (request.url === "/busy") return response.writeHead(503).end();
    if (request.url?.startsWith("/redir?to=")) {
      return response.writeHead(302, { location: decodeURIComponent(request.url.slice("/redir?to=".length)) }).end();
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  port = (server.address() as AddressInfo).port;
  secretServer = createServer((_request, response) => {
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(SECRET_PAGE);
  });
  await new Promise<void>((done) => secretServer.listen(0, "127.0.0.1", done));
  secretPort = (secretServer.address() as AddressInfo).port;
  runtime = await openRuntime(testConfig(), "extract-test");
});

afterAll(async () => {
  server.close();
  secretServer.close();
  await clearQueuePrefix(runtime.redis, runtime.config.QUEUE_PREFIX);
  await runtime.close();
});

const deps = () => ({ db: runtime.db, queues: runtime.queues, logger: runtime.logger });

async function pollOne(articleUrl: string) {
  const source = await createSource(runtime.db, {
    url: `http://127.0.0.1:${port}/feed?to=${encodeURIComponent(articleUrl)}`,
    targets: ["es"],
  });
  await pollSource(deps(), { sourceId: source.id });
  return runtime.db
    .selectFrom("articles")
    .select(["id", "version"])
    .where("source_id", "=", source.id)
    .executeTakeFirstOrThrow();
}

describe("full text for summary-only items", () => {
  it("queues the page instead of the translation, then translates the page's main text", async () => {
    const stored = await pollOne(`http://127.0.0.1:${port}/article`);
    const before = Object.fromEntries((await runtime.queues.counts()).map((queue) => [queue.name, queue.waiting]));
    expect(before.extract).toBeGreaterThanOrEqual(1);
    expect(
      await runtime.db.selectFrom("translations").select("id").where("article_id", "=", stored.id).execute(),
    ).toEqual([]);

    expect(await extractFullText(deps(), { articleId: stored.id, articleVersion: stored.version }, job)).toEqual({
      outcome: "extracted",
    });
    const article = await getArticle(runtime.db, stored.id);
    expect(article?.content_text).toContain("Mark Rutte said this before the summit");
    expect(article?.content_html).not.toMatch(/<script|<iframe|<nav|Home/);
    expect(article?.extract_error).toBeNull();
    const translation = await runtime.db
      .selectFrom("translations")
      .selectAll()
      .where("article_id", "=", stored.id)
      .executeTakeFirst();
    expect(translation).toMatchObject({ lang: "es", status: "queued" });
  });

  it("refuses a link to another private host, and translates the feed's text instead", async () => {
    const stored = await pollOne(`http://localhost:${port}/article`);
    await extractFullText(deps(), { articleId: stored.id, articleVersion: stored.version }, job);
    const article = await getArticle(runtime.db, stored.id);
    expect(article?.extract_error).toMatch(/^FEED_BLOCKED_ADDRESS/);
    expect(article?.content_text).toContain("Russia sends military tech");
    expect(
      await runtime.db.selectFrom("translations").select("lang").where("article_id", "=", stored.id).execute(),
    ).toEqual([{ lang: "es" }]);
  });

  it("refuses a redirect from the source's own origin to another private service", async () => {
    const secret = `http://127.0.0.1:${secretPort}/secret`;
    const stored = await pollOne(`http://127.0.0.1:${port}/redir?to=${encodeURIComponent(secret)}`);
    await extractFullText(deps(), { articleId: stored.id, articleVersion: stored.version }, job);
    const article = await getArticle(runtime.db, stored.id);
    expect(article?.extract_error).toMatch(/^FEED_BLOCKED_ADDRESS/);
    expect(article?.content_text).not.toContain("AWS_SECRET");
  });

  it("refuses the source's host on another port", async () => {
    const stored = await pollOne(`http://127.0.0.1:${secretPort}/secret`);
    await extractFullText(deps(), { articleId: stored.id, articleVersion: stored.version }, job);
    const article = await getArticle(runtime.db, stored.id);
    expect(article?.extract_error).toMatch(/^FEED_BLOCKED_ADDRESS/);
    expect(article?.content_text).not.toContain("AWS_SECRET");
  });

  it("retries a page that fails for now, and falls back to the feed's text on the last attempt", async () => {
    const stored = await pollOne(`http://127.0.0.1:${port}/busy`);
    const payload = { articleId: stored.id, articleVersion: stored.version };
    await expect(extractFullText(deps(), payload, { ...job, attempt: 1 })).rejects.toMatchObject({
      code: "FEED_HTTP_503",
    });
    expect((await getArticle(runtime.db, stored.id))?.extract_error).toBeNull();
    await extractFullText(deps(), payload, { ...job, attempt: 3 });
    expect((await getArticle(runtime.db, stored.id))?.extract_error).toMatch(/^FEED_HTTP_503/);
  });

  it("gives up at once on a page that is gone for good", async () => {
    const stored = await pollOne(`http://127.0.0.1:${port}/gone`);
    await extractFullText(deps(), { articleId: stored.id, articleVersion: stored.version }, { ...job, attempt: 1 });
    expect((await getArticle(runtime.db, stored.id))?.extract_error).toMatch(/^FEED_HTTP_404/);
  });
});
