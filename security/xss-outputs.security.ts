import { type ApiApp, buildApp } from "@babelwire/api";
import { createSource, createToken, ensureTranslation, transitionTranslation, upsertArticle } from "@babelwire/db";
import { normalizeItems, parseFeed } from "@babelwire/ingest";
import { findCorporaDir } from "@babelwire/ingest/corpora-dir";
import { executableConstructs } from "@babelwire/ingest/inert-html";
import { payloadFeed, payloadSets } from "@babelwire/ingest/xss-payloads";
import { openRuntime, type Runtime } from "@babelwire/runtime";
import { clearQueuePrefix, testConfig } from "@babelwire/runtime/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/** Classic vectors, so the suite bites on a clone without the shared corpora too. */
const BUILT_IN = [
  "<script>alert(1)</script>",
  '<img src=x onerror="alert(1)">',
  '<a href="javascript:alert(1)">x</a>',
  '<a href=" &#14;javascript:alert(1)">x</a>',
  "<svg><script>alert(1)</script></svg>",
  '<math><mi xlink:href="data:x,<script>alert(1)</script>">',
  '<iframe src="data:text/html,<script>alert(1)</script>"></iframe>',
  '<div style="background:url(javascript:alert(1))">x</div>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  '<form action="javascript:alert(1)"><button>x</button></form>',
  "]]><script>alert(1)</script>",
  "<![CDATA[<script>alert(1)</script>]]>",
  '"><script>alert(1)</script>',
  "&lt;script&gt;alert(1)&lt;/script&gt;",
  '<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></object>',
];
const CHUNK = 45;

let runtime: Runtime;
let app: ApiApp;
let token: string;
const sources: string[] = [];
let payloadCount = 0;
let published = 0;

function payloads(): string[] {
  const dir = findCorporaDir();
  if (!dir) return BUILT_IN;
  const sets = payloadSets(dir);
  // Every case of the curated sets, and every 25th of payloadbox's 6,613 (all of them go through the sanitizer in test:corpora).
  return [
    ...BUILT_IN,
    ...sets.flatMap((set) =>
      set.name === "xss/payloadbox" ? set.payloads.filter((_, i) => i % 25 === 0) : set.payloads,
    ),
  ];
}

beforeAll(async () => {
  runtime = await openRuntime(testConfig(), "xss-outputs-test");
  app = await buildApp(runtime);
  token = (await createToken(runtime.db, { role: "admin" })).token;
  const all = payloads();
  payloadCount = all.length;
  // As ingestion stores them (parsed, normalized, sanitized), then published in Spanish as they are.
  for (let start = 0; start < all.length; start += CHUNK) {
    const source = await createSource(runtime.db, { url: `https://xss.example/${start}`, targets: ["es"] });
    sources.push(source.id);
    const articles = [];
    for (const payload of all.slice(start, start + CHUNK)) {
      // A payload the parser refuses outright (an entity declaration, say) reaches no partner at all.
      const feed = await parseFeed(payloadFeed([payload]), {}).catch(() => null);
      if (!feed) continue;
      articles.push(...normalizeItems({ feedUrl: source.url, feed, now: new Date() }));
    }
    published += articles.length;
    for (const [index, article] of articles.entries()) {
      const stored = await upsertArticle(runtime.db, source.id, { ...article, guid: `${start}-${index}` });
      const row = await ensureTranslation(runtime.db, stored.id, "es", stored.version);
      await transitionTranslation(runtime.db, row.id, "start", { actor: "system" });
      await transitionTranslation(runtime.db, row.id, "finish", {
        actor: "system",
        machine: {
          title: article.title,
          summary: article.summary,
          contentHtml: article.contentHtml,
          segments: [],
          qa: [],
          engine: "none",
        },
      });
      await transitionTranslation(runtime.db, row.id, "approve", { actor: "system" });
      await transitionTranslation(runtime.db, row.id, "publish", { actor: "system" });
    }
  }
}, 600_000);

afterAll(async () => {
  await app?.close();
  await clearQueuePrefix(runtime.redis, runtime.config.QUEUE_PREFIX);
  await runtime?.close();
});

async function read(url: string): Promise<string> {
  const response = await app.inject({ method: "GET", url, headers: { authorization: `Bearer ${token}` } });
  expect(response.statusCode, url).toBe(200);
  return response.body;
}

const XML_ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** An XML element's text as a reader gets it: CDATA sections joined, entities decoded. */
function xmlText(raw: string): string {
  return raw.replace(
    /<!\[CDATA\[([\s\S]*?)\]\]>|&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi,
    (_, cdata: string, entity: string) => {
      if (cdata !== undefined) return cdata;
      if (/^#x/i.test(entity)) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
      if (entity.startsWith("#")) return String.fromCodePoint(Number(entity.slice(1)));
      return XML_ENTITIES[entity.toLowerCase()] ?? "";
    },
  );
}

function elements(xml: string, names: string[]): string[] {
  return names.flatMap((name) =>
    [...xml.matchAll(new RegExp(`<${name}(?:\\s[^>]*)?>([\\s\\S]*?)</${name}>`, "g"))].map((match) =>
      xmlText(match[1] ?? ""),
    ),
  );
}

function expectInert(html: string[], where: string): void {
  const found = html.flatMap((fragment) =>
    executableConstructs(fragment).map((construct) => `${construct} in ${fragment.slice(0, 80)}`),
  );
  expect(found, where).toEqual([]);
}

describe("hostile HTML comes out inert in every output", () => {
  it("in RSS, Atom, JSON Feed and ninjs, bodies, summaries and titles alike", async () => {
    expect(payloadCount).toBeGreaterThanOrEqual(BUILT_IN.length);
    let checked = 0;
    for (const source of sources) {
      const query = `?source=${source}&limit=100`;
      const rss = await read(`/v1/feeds/es.rss${query}`);
      // RSS readers take titles and descriptions as HTML too.
      const rssHtml = elements(rss, ["content:encoded", "description", "title"]);
      expectInert(rssHtml, "RSS");
      const atom = await read(`/v1/feeds/es.atom${query}`);
      // Atom's title and summary are type="text"; its content is the HTML.
      const atomHtml = elements(atom, ["content"]);
      expectInert(atomHtml, "Atom");
      const json = JSON.parse(await read(`/v1/feeds/es.json${query}`)) as {
        items: Array<{ content_html?: string; summary?: string; title?: string }>;
      };
      // JSON Feed's title and summary are plain text by its specification; content_html is the HTML.
      expectInert(
        json.items.map((item) => item.content_html ?? ""),
        "JSON Feed",
      );
      checked += json.items.length;
      expect(rssHtml.length).toBeGreaterThan(json.items.length);
    }
    expect(published).toBeGreaterThan(payloadCount);
    expect(checked).toBe(published);
    let cursor: string | null = null;
    let ninjs = 0;
    // The sync API holds back the last two seconds of changes: wait them out.
    await new Promise((done) => setTimeout(done, 2100));
    do {
      const page = JSON.parse(
        await read(`/v1/articles?lang=es&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`),
      ) as {
        items: Array<{
          bodies?: Array<{ value: string; contenttype: string }>;
          headlines?: Array<{ value: string; contenttype: string }>;
          descriptions?: Array<{ value: string; contenttype: string }>;
        }>;
        nextCursor: string | null;
        hasMore?: boolean;
      };
      // ninjs says each text's type: only text/html ones are read as HTML.
      expectInert(
        page.items.flatMap((item) =>
          [...(item.bodies ?? []), ...(item.headlines ?? []), ...(item.descriptions ?? [])]
            .filter((text) => text.contenttype === "text/html")
            .map((text) => text.value),
        ),
        "ninjs",
      );
      ninjs += page.items.length;
      cursor = page.items.length > 0 && page.hasMore !== false ? page.nextCursor : null;
    } while (cursor);
    expect(ninjs).toBe(published);
  });
});
