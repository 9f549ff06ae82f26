import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { clearQueuePrefix, testConfig } from "@babelwire/runtime/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSystem, startSystem } from "./start-system.ts";

/**
 * The editors' way through the running system (real Redis, PGlite, Apertium, HTTP on
 * loopback): a feed under review → correction with If-Match → approval → the partner feed
 * shows the editor's text → the agency corrects the item and sends a related one → memory
 * gives the editor's sentence to the new one while the old text stays live → withdrawal.
 */

let system: RunningSystem;
let admin: string;
let editor: string;
let partner: string;
let feedServer: Server;
let feedUrl: string;

const SHARED = "The ministers discussed air defense for the winter.";
const EDITED = "Los ministros debatieron la defensa antiaérea para el invierno.";
interface FeedItem {
  guid: string;
  title: string;
  paragraphs: string[];
}
let items: FeedItem[] = [
  { guid: "a-1", title: "Ministers meet in Brussels", paragraphs: [SHARED, "They met for two hours."] },
];

function rss(): string {
  const entries = items
    .map(
      (item) => `<item><guid>${item.guid}</guid><title>${item.title}</title>
        <link>https://agency.test/${item.guid}</link><pubDate>Mon, 02 Nov 2026 10:00:00 GMT</pubDate>
        <description><![CDATA[${item.paragraphs.map((text) => `<p>${text}</p>`).join("")}]]></description></item>`,
    )
    .join("");
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Agency</title><link>https://agency.test/</link>
    <language>en</language>${entries}</channel></rss>`;
}

async function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((done) => setTimeout(done, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function api(path: string, token: string | null, init: RequestInit = {}) {
  return fetch(`${system.url}${path}`, {
    ...init,
    headers: {
      ...(token && { authorization: `Bearer ${token}` }),
      ...(init.body ? { "content-type": "application/json" } : {}),
      ...init.headers,
    },
  });
}

async function newToken(role: string, partnerId?: string): Promise<string> {
  const response = await api("/v1/tokens", admin, { method: "POST", body: JSON.stringify({ role, partnerId }) });
  expect(response.status).toBe(201);
  return ((await response.json()) as { token: string }).token;
}

interface ReviewItem {
  id: string;
  articleId: string;
  title: string;
}

/** The translations waiting for review whose title matches. */
async function waiting(match: RegExp): Promise<ReviewItem | undefined> {
  const page = (await (await api("/v1/review?lang=es", editor)).json()) as { items: ReviewItem[] };
  return page.items.find((item) => match.test(item.title));
}

async function spanishFeed(): Promise<string> {
  return (await fetch(`${system.url}/v1/feeds/es.rss?token=${partner}`)).text();
}

beforeAll(async () => {
  feedServer = createServer((_request, response) => {
    response.writeHead(200, { "content-type": "application/rss+xml" }).end(rss());
  });
  await new Promise<void>((done) => feedServer.listen(0, "127.0.0.1", done));
  feedUrl = `http://127.0.0.1:${(feedServer.address() as AddressInfo).port}/feed`;
  system = await startSystem(testConfig({ TARGET_LANGUAGES: "es" }));
  admin = system.adminToken ?? "";
  editor = await newToken("editor");
  const outlet = await api("/v1/partners", admin, {
    method: "POST",
    body: JSON.stringify({ name: "Diario", languages: ["es"] }),
  });
  partner = await newToken("partner", ((await outlet.json()) as { id: string }).id);
});

afterAll(async () => {
  await clearQueuePrefix(system.runtime.redis, system.runtime.config.QUEUE_PREFIX);
  await system?.stop();
  feedServer?.close();
});

describe("the editorial way through the running system", () => {
  let first: ReviewItem;

  it("holds a translation of a source under review until an editor acts", async () => {
    const added = await api("/v1/sources", admin, {
      method: "POST",
      body: JSON.stringify({ url: feedUrl, review: "required", targets: ["es"], fullText: "never" }),
    });
    expect(added.status).toBe(201);
    first = await until(() => waiting(/Bruselas|Brussels/), "the translation in review");
    expect(await spanishFeed()).not.toContain("<item>");
    expect((await api("/v1/review", partner)).status).toBe(403);
    expect((await api("/v1/review", null)).status).toBe(401);
    expect((await api(`/v1/translations/${first.id}/approve`, partner, { method: "POST" })).status).toBe(403);
  });

  it("takes a correction with the version read, approves once, and the partner feed shows the editor's text", async () => {
    const read = await api(`/v1/translations/${first.id}`, editor);
    const version = read.headers.get("etag") ?? "";
    const body = JSON.stringify({ segments: [{ id: "s1", target: `<p>${EDITED}</p>` }] });
    const saved = await api(`/v1/translations/${first.id}`, editor, {
      method: "PATCH",
      body,
      headers: { "if-match": version },
    });
    expect(saved.status).toBe(200);
    const stale = await api(`/v1/translations/${first.id}`, editor, {
      method: "PATCH",
      body,
      headers: { "if-match": version },
    });
    expect(stale.status).toBe(412);
    const approve = (ifMatch: string) =>
      api(`/v1/translations/${first.id}/approve`, editor, { method: "POST", headers: { "if-match": ifMatch } });
    const approved = await approve(saved.headers.get("etag") ?? "");
    expect(approved.status).toBe(200);
    // The publisher may have published it meanwhile (a new version): ask for the current one, so
    // the answer is about approving twice, not about a stale version.
    const twice = await approve((await api(`/v1/translations/${first.id}`, editor)).headers.get("etag") ?? "");
    expect(twice.status).toBe(409);
    expect(((await twice.json()) as { error: { code: string } }).error.code).toBe("illegal_transition");
    const feed = await until(async () => {
      const text = await spanishFeed();
      return text.includes(EDITED) ? text : undefined;
    }, "the edited text in the Spanish feed");
    expect(feed.match(/<item>/g)).toHaveLength(1);
  });

  it("gives a new article the editor's sentence from memory, and keeps the old text live while a correction waits", async () => {
    items = [
      { guid: "a-1", title: "Ministers meet in Brussels", paragraphs: [SHARED, "They met for three hours."] },
      { guid: "b-1", title: "Air defense talks go on", paragraphs: [SHARED, "A decision is expected soon."] },
    ];
    const sources = (await (await api("/v1/sources", admin)).json()) as { items: Array<{ id: string }> };
    const sourceId = sources.items[0]?.id ?? "";
    expect((await api(`/v1/sources/${sourceId}/poll`, admin, { method: "POST", body: "{}" })).status).toBe(202);

    const second = await until(() => waiting(/defensa|defense/i), "the related article in review");
    const secondRead = (await (await api(`/v1/translations/${second.id}`, editor)).json()) as {
      segments: Array<{ target: string; memory?: string }>;
      memoryHits: number;
    };
    expect(secondRead.segments[0]).toMatchObject({ target: `<p>${EDITED}</p>`, memory: "human" });
    expect(secondRead.memoryHits).toBeGreaterThanOrEqual(1);

    const correction = await until(async () => {
      const again = await waiting(/Bruselas|Brussels/);
      return again?.id === first.id ? again : undefined;
    }, "the corrected article back in review");
    expect(correction.articleId).toBe(first.articleId);
    const feed = await spanishFeed();
    expect(feed).toContain(EDITED);
    expect(feed).toMatch(/dos horas/);
  });

  it("takes a withdrawn article out of the feed in every language and records who did it", async () => {
    const withdrawn = await api(`/v1/articles/${first.articleId}/withdraw`, editor, {
      method: "POST",
      body: JSON.stringify({ reason: "kill notice from the agency" }),
    });
    expect(withdrawn.status).toBe(200);
    expect(await withdrawn.json()).toMatchObject({ id: first.articleId, languages: ["es"] });
    expect(await spanishFeed()).not.toContain(EDITED);
    const history = (await (await api(`/v1/translations/${first.id}`, editor)).json()) as {
      status: string;
      history: Array<{ action: string; detail: { reason?: string } }>;
    };
    expect(history.status).toBe("withdrawn");
    expect(history.history.at(-1)).toMatchObject({
      action: "withdraw",
      detail: { reason: "kill notice from the agency" },
    });
    const again = await api(`/v1/articles/${first.articleId}/withdraw`, editor, {
      method: "POST",
      body: JSON.stringify({ reason: "again" }),
    });
    expect(await again.json()).toMatchObject({ withdrawn: [] });

    const audit = (await (await api("/v1/audit?limit=200", admin)).json()) as {
      items: Array<{ actor: string; role: string | null; method: string; route: string; status: number }>;
    };
    const writes = audit.items
      .filter((entry) => entry.role === "editor")
      .map((e) => `${e.method} ${e.route} ${e.status}`);
    expect(writes).toEqual(
      expect.arrayContaining([
        "PATCH /v1/translations/:id 200",
        "PATCH /v1/translations/:id 412",
        "POST /v1/translations/:id/approve 200",
        "POST /v1/translations/:id/approve 409",
        "POST /v1/articles/:id/withdraw 200",
      ]),
    );
    expect((await api("/v1/audit", editor)).status).toBe(403);
  });
});
