import { readFileSync } from "node:fs";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { CodedError } from "@babelwire/core";
import { repoPath } from "@babelwire/core/corpora";
import iconv from "iconv-lite";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createIsolatePool, ISOLATE_TIMEOUT } from "../isolate/isolate-pool.ts";
import { extractArticle } from "./extract-article.ts";

// The sample is one article: its title, its lead, then its paragraphs, then a "- News" tag.
const SAMPLE = readFileSync(repoPath("examples/samples/ukrinform-rutte-en.txt"), "utf8").trim().split("\n");
const TITLE = SAMPLE[0] ?? "";
const LEAD = SAMPLE[1] ?? "";
const PARAGRAPHS = SAMPLE.slice(2, 8);

const RUSSIAN_PARAGRAPHS = [
  "Генеральный секретарь НАТО Марк Рютте заявил перед саммитом Европейского политического сообщества в Будапеште, что Россия передает Северной Корее современные военные технологии.",
  "По его словам, Северная Корея, Иран, Китай и Россия все теснее сотрудничают против Украины, и это создает угрозу для Европы, Индо-Тихоокеанского региона и Соединенных Штатов.",
  "Рютте отметил, что надеется вскоре встретиться с победителем президентских выборов в США, чтобы обсудить, как вместе противостоять новой угрозе.",
  "Он добавил, что большинство союзников уже тратят на оборону не менее двух процентов ВВП, но этого, по его мнению, недостаточно для сдерживания.",
];

function articlePage(): string {
  const body = PARAGRAPHS.map((text) => `<p>${escapeHtml(text)}</p>`).join("\n");
  return `<!doctype html>
<html lang="en"><head>
<meta charset="utf-8">
<title>${escapeHtml(TITLE)} | Ukrinform</title>
<meta name="author" content="Ukrinform correspondent">
<script>window.tracker = "TRACKER-SCRIPT";</script>
<style>.ad { display: block }</style>
</head><body>
<header class="site-header"><nav class="menu"><ul>
<li><a href="/en/politics">Politics NAVLINK</a></li><li><a href="/en/economy">Economy NAVLINK</a></li>
<li><a href="/en/world">World NAVLINK</a></li><li><a href="/en/sports">Sports NAVLINK</a></li></ul></nav></header>
<div class="ad banner" id="ad-top"><a href="https://ads.example/click?id=1">ADVERT Buy now, limited offer</a></div>
<main><article class="post">
<h1>${escapeHtml(TITLE)}</h1>
<p class="lead"><strong>${escapeHtml(LEAD)}</strong></p>
${body}
<iframe src="https://video.example/embed/IFRAME-VIDEO" width="640" height="360"></iframe>
<p><a href="/en/tag/nato">More on NATO</a></p>
</article></main>
<aside class="sidebar"><h3>Most read SIDEBAR</h3><ul><li><a href="/en/1">SIDEBAR story one</a></li><li><a href="/en/2">SIDEBAR story two</a></li></ul></aside>
<script src="/static/app.js"></script><script>document.write("INLINE-SCRIPT")</script>
<footer class="site-footer">FOOTER © Ukrinform. All rights reserved.</footer>
</body></html>`;
}

function russianPage(): string {
  const body = RUSSIAN_PARAGRAPHS.map((text) => `<p>${text}</p>`).join("\n");
  return `<html><head><meta charset="windows-1251"><title>Рютте о Северной Корее</title></head>
<body><nav><a href="/">Главная</a></nav><article><h1>Рютте о Северной Корее</h1>${body}</article></body></html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

let server: Server;
let base: string;
let requestsSeen = 0;
let lastAccept: string | undefined;

function route(path: string, response: ServerResponse): void {
  switch (path) {
    case "/en/rutte":
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(articlePage());
      return;
    case "/ru/rutte":
      // No charset in the header: only the page's <meta> names it.
      response.writeHead(200, { "content-type": "text/html" }).end(iconv.encode(russianPage(), "windows-1251"));
      return;
    case "/short-link":
      response.writeHead(301, { location: "/en/rutte" }).end();
      return;
    case "/blank":
      response
        .writeHead(200, { "content-type": "text/html" })
        .end("<html><head><title>Blank</title></head><body></body></html>");
      return;
    case "/heavy":
      // Thousands of blocks: Readability needs seconds for them, however linear it now is.
      response
        .writeHead(200, { "content-type": "text/html" })
        .end(articlePage().replace("</main>", `${"<div><p>word word word word.</p></div>".repeat(40_000)}</main>`));
      return;
    case "/huge":
      response.writeHead(200, { "content-type": "text/html" }).end(Buffer.alloc(6 * 1024 * 1024, "a"));
      return;
    default:
      response.writeHead(404).end();
  }
}

beforeAll(async () => {
  server = createServer((request, response) => {
    requestsSeen++;
    lastAccept = request.headers.accept;
    route(new URL(request.url ?? "/", "http://localhost").pathname, response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

beforeEach(() => {
  requestsSeen = 0;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

async function failure(promise: Promise<unknown>): Promise<CodedError> {
  const error = await promise.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof CodedError)) throw new Error(`expected a coded error, got ${String(error)}`);
  return error;
}

describe("extractArticle", () => {
  it("returns the article's paragraphs and none of the page's navigation, ads, scripts or iframes", async () => {
    const article = await extractArticle(`${base}/en/rutte`, { allowPrivate: true });
    expect(article.url).toBe(`${base}/en/rutte`);
    expect(article.title).toBe(TITLE);
    expect(article.byline).toBe("Ukrinform correspondent");
    expect(PARAGRAPHS).toHaveLength(6);
    for (const paragraph of PARAGRAPHS) expect(article.contentText).toContain(paragraph);
    expect(article.contentText).toContain(`${PARAGRAPHS[0]}\n\n${PARAGRAPHS[1]}`);
    const everything = article.contentHtml + article.contentText;
    for (const unwanted of [
      "NAVLINK",
      "ADVERT",
      "SIDEBAR",
      "FOOTER",
      "TRACKER-SCRIPT",
      "INLINE-SCRIPT",
      "IFRAME-VIDEO",
    ]) {
      expect(everything).not.toContain(unwanted);
    }
    expect(article.contentHtml).not.toMatch(/<(script|iframe|style|nav)\b/i);
    expect(article.contentHtml).toMatch(/<p>/);
    expect(lastAccept).toMatch(/^text\/html/);
  });

  it("makes the article's links absolute against the page URL", async () => {
    const article = await extractArticle(`${base}/en/rutte`, { allowPrivate: true });
    expect(article.contentHtml).toContain(`href="${base}/en/tag/nato"`);
  });

  it("refuses the same page by default, since links in feeds may point at private addresses", async () => {
    const error = await failure(extractArticle(`${base}/en/rutte`));
    expect(error.code).toBe("FEED_BLOCKED_ADDRESS");
    expect(error.permanent).toBe(true);
    expect(requestsSeen).toBe(0);
  });

  it("decodes a windows-1251 page named only by its <meta charset>", async () => {
    const article = await extractArticle(`${base}/ru/rutte`, { allowPrivate: true });
    expect(article.title).toBe("Рютте о Северной Корее");
    for (const paragraph of RUSSIAN_PARAGRAPHS) expect(article.contentText).toContain(paragraph);
    expect(article.contentText).not.toContain("Главная");
  });

  it("follows a redirect and reports the page's final URL", async () => {
    const article = await extractArticle(`${base}/short-link`, { allowPrivate: true });
    expect(article.url).toBe(`${base}/en/rutte`);
    expect(article.contentText).toContain(PARAGRAPHS[0]);
  });

  it("fails a page without content with a permanent EXTRACT_FAILED", async () => {
    const error = await failure(extractArticle(`${base}/blank`, { allowPrivate: true }));
    expect(error.code).toBe("EXTRACT_FAILED");
    expect(error.permanent).toBe(true);
  });

  it("fails a missing page with the fetch's FEED_HTTP_404", async () => {
    const error = await failure(extractArticle(`${base}/gone`, { allowPrivate: true }));
    expect(error.code).toBe("FEED_HTTP_404");
  });

  it("stops reading a page larger than 5 MiB, or than maxBytes when given", async () => {
    expect((await failure(extractArticle(`${base}/huge`, { allowPrivate: true }))).code).toBe("FEED_TOO_LARGE");
    const small = await failure(extractArticle(`${base}/en/rutte`, { allowPrivate: true, maxBytes: 1_000 }));
    expect(small.code).toBe("FEED_TOO_LARGE");
  });

  it("refuses URLs other than http and https, local files included", async () => {
    for (const url of ["file:///etc/passwd", "/etc/passwd", "javascript:alert(1)", "ftp://example.com/a"]) {
      const error = await failure(extractArticle(url, { allowPrivate: true }));
      expect(error.code).toBe("FEED_INVALID_URL");
    }
  });
});

describe("extractArticle in an isolate pool", () => {
  it("extracts in a worker thread what it extracts in the process", async () => {
    const isolate = createIsolatePool({ size: 1 });
    try {
      const inline = await extractArticle(`${base}/en/rutte`, { allowPrivate: true });
      expect(await extractArticle(`${base}/en/rutte`, { allowPrivate: true, isolate })).toEqual(inline);
    } finally {
      await isolate.close();
    }
  });

  it("fails a page that runs past the time limit with CONTENT_TIME_LIMIT, for good", async () => {
    const isolate = createIsolatePool({ size: 1, timeoutMs: 100 });
    try {
      const error = await failure(extractArticle(`${base}/heavy`, { allowPrivate: true, isolate }));
      expect(error.code).toBe(ISOLATE_TIMEOUT);
      expect(error.permanent).toBe(true);
    } finally {
      await isolate.close();
    }
  });
});
