import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { createPartner, createSource, createToken, type Db, upsertArticle } from "@babelwire/db";
import { publishTestTranslation, testArticle } from "@babelwire/db/testing";
import type { Runtime } from "@babelwire/runtime";
import { invalidateFeeds } from "@babelwire/syndicate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiApp } from "../../app.ts";
import { openTestApp, type TestApp } from "../../testing/test-app.ts";

let testApp: TestApp;
let runtime: Runtime;
let app: ApiApp;
let token: string;
let base: string;
let story: string;
let spanish: string;

async function article(db: Db, sourceId: string, guid: string, publishedAt: string) {
  const { id } = await upsertArticle(
    db,
    sourceId,
    testArticle(guid, {
      title: `Story ${guid}`,
      publishedAt,
      updatedAt: publishedAt,
      authors: ["A. Writer"],
      categories: ["Politics"],
    }),
  );
  return id;
}

beforeAll(async () => {
  testApp = await openTestApp("feeds-test");
  ({ runtime, app } = testApp);
  const partner = await createPartner(runtime.db, { name: "Diario", languages: ["es", "ca"] });
  token = (await createToken(runtime.db, { role: "partner", partnerId: partner.id })).token;
  base = runtime.config.PUBLIC_BASE_URL;
  const source = await createSource(runtime.db, { url: "https://example.org/feed", targets: ["es", "ca"] });
  story = await article(runtime.db, source.id, "story-1", "2026-11-01T10:00:00.000Z");
  const older = await article(runtime.db, source.id, "story-0", "2026-10-01T10:00:00.000Z");
  await publishTestTranslation(runtime.db, older, "es", "Historia anterior");
  spanish = await publishTestTranslation(runtime.db, story, "es", "Historia");
  await publishTestTranslation(runtime.db, story, "ca", "Història");
});

afterAll(() => testApp?.close());

async function until(probe: () => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error("timed out waiting for the generation's announcement");
    await new Promise((done) => setTimeout(done, 5));
  }
}

const get = (url: string, headers: Record<string, string> = {}) =>
  app.inject({ method: "GET", url, headers: { authorization: `Bearer ${token}`, ...headers } });

async function cacheKeys(lang: string): Promise<string[]> {
  return (await runtime.redis.keys(`${runtime.config.QUEUE_PREFIX}:feed:${lang}:*`)).sort();
}

describe("partner feeds in three formats", () => {
  it("serves RSS, Atom and JSON Feed with their media types", async () => {
    const types = await Promise.all(["rss", "atom", "json"].map(async (f) => (await get(`/v1/feeds/es.${f}`)).headers));
    expect(types.map((headers) => headers["content-type"])).toEqual([
      "application/rss+xml; charset=utf-8",
      "application/atom+xml; charset=utf-8",
      "application/feed+json; charset=utf-8",
    ]);
  });

  it("links each Atom entry to its other published languages and its original", async () => {
    const atom = (await get("/v1/feeds/es.atom")).body;
    expect(atom).toContain('<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="es">');
    expect(atom).toContain(`<id>urn:babelwire:${spanish}</id>`);
    expect(atom).toContain(
      `<link rel="alternate" type="application/json" hreflang="ca" href="${base}/v1/articles/${story}?lang=ca"/>`,
    );
    expect(atom).toContain('<link rel="alternate" type="text/html" hreflang="en" href="https://example.org/story-1"/>');
    // The older story has no Catalan version, so its entry links none.
    expect(atom.match(/hreflang="ca"/g)).toHaveLength(1);
  });

  it("gives JSON Feed its language, items and the other versions in the _babelwire extension", async () => {
    const feed = (await get("/v1/feeds/es.json")).json();
    expect(feed).toMatchObject({ version: "https://jsonfeed.org/version/1.1", language: "es" });
    expect(feed.items.map((item: { title: string }) => item.title)).toEqual(["Historia", "Historia anterior"]);
    expect(feed.items[0]._babelwire).toMatchObject({
      originalUrl: "https://example.org/story-1",
      originalLanguage: "en",
      alternates: [{ lang: "ca", url: `${base}/v1/articles/${story}?lang=ca`, type: "application/json" }],
    });
  });

  it("takes the token in the query on every format and refuses a request without one", async () => {
    for (const format of ["rss", "atom", "json"]) {
      expect((await app.inject({ method: "GET", url: `/v1/feeds/ca.${format}?token=${token}` })).statusCode).toBe(200);
      expect((await app.inject({ method: "GET", url: `/v1/feeds/ca.${format}` })).statusCode).toBe(401);
      expect((await get(`/v1/feeds/ca.${format}?limit=101`)).statusCode).toBe(400);
    }
  });

  it("puts the filters in the self link, never the token", async () => {
    const atom = (await app.inject({ method: "GET", url: `/v1/feeds/es.atom?token=${token}&limit=1` })).body;
    expect(atom).toContain(`<link rel="self" type="application/atom+xml" href="${base}/v1/feeds/es.atom?limit=1"/>`);
    expect(atom).not.toContain(token);
  });

  it("documents all three feed routes in the OpenAPI document", async () => {
    const doc = (await app.inject({ method: "GET", url: "/docs/json" })).json();
    for (const format of ["rss", "atom", "json"]) {
      const path = doc.paths[`/v1/feeds/{lang}.${format}`];
      expect(path?.get?.parameters?.map((p: { name: string }) => p.name)).toEqual(
        expect.arrayContaining(["lang", "source", "category", "limit"]),
      );
    }
    expect(Object.keys(doc.paths[`/v1/feeds/{lang}.json`].get.responses["200"].content)).toEqual([
      "application/feed+json",
    ]);
  });
});

describe("the feed cache", () => {
  it("serves the second request from Redis: a change behind the cache shows only after invalidation", async () => {
    const first = await get("/v1/feeds/ca.atom");
    expect(first.body).toContain("Història");
    await runtime.db
      .updateTable("translations")
      .set({ live_title: "Canviat" })
      .where("article_id", "=", story)
      .where("lang", "=", "ca")
      .execute();
    const cached = await get("/v1/feeds/ca.atom");
    expect(cached.body).toBe(first.body);
    expect(cached.headers.etag).toBe(first.headers.etag);
    // What the publisher does after it publishes or withdraws a Catalan translation; the API
    // process hears of it through its subscription (or reads it, while not subscribed).
    const generation = await invalidateFeeds(runtime.redis, runtime.config.QUEUE_PREFIX, "ca");
    await until(() => (app.feedGenerations.known("ca") ?? generation) >= generation);
    const fresh = await get("/v1/feeds/ca.atom");
    expect(fresh.body).toContain("Canviat");
    expect(fresh.headers.etag).not.toBe(first.headers.etag);
  });

  it("keeps one entry per format and filters, an empty category being no filter", async () => {
    const before = await cacheKeys("es");
    const all = await get("/v1/feeds/es.rss");
    const one = await get("/v1/feeds/es.rss?limit=1");
    const politics = await get("/v1/feeds/es.rss?category=Politics");
    const none = await get("/v1/feeds/es.rss?category=Sport");
    await get("/v1/feeds/es.rss?category=");
    expect(all.body.match(/<item>/g)).toHaveLength(2);
    expect(one.body.match(/<item>/g)).toHaveLength(1);
    expect(politics.body.match(/<item>/g)).toHaveLength(2);
    expect(none.body).not.toContain("<item>");
    const added = (await cacheKeys("es")).filter((key) => !before.includes(key));
    const tails = added.map((key) => key.split(":").slice(-4).join(":"));
    expect(tails.sort()).toEqual(["rss:-:-:1", "rss:-:politics:50", "rss:-:sport:50"].sort());
    expect(before.map((key) => key.split(":").slice(-4).join(":"))).toContain("rss:-:-:50");
  });

  it("answers 304 to a matching If-None-Match or If-Modified-Since, from the cache too", async () => {
    const first = await get("/v1/feeds/es.json");
    const { etag, "last-modified": lastModified } = first.headers;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(new Date(String(lastModified)).getTime()).toBeGreaterThan(0);
    const byTag = await get("/v1/feeds/es.json", { "if-none-match": String(etag) });
    expect(byTag.statusCode).toBe(304);
    expect(byTag.body).toBe("");
    expect(byTag.headers.etag).toBe(etag);
    expect((await get("/v1/feeds/es.json", { "if-modified-since": String(lastModified) })).statusCode).toBe(304);
    expect((await get("/v1/feeds/es.json", { "if-none-match": '"stale"' })).statusCode).toBe(200);
    const past = new Date(new Date(String(lastModified)).getTime() - 1000).toUTCString();
    expect((await get("/v1/feeds/es.json", { "if-modified-since": past })).statusCode).toBe(200);
  });
});

describe("compression", () => {
  it("sends a feed in brotli or gzip when asked, the same feed once decoded, and plain otherwise", async () => {
    const plain = await get("/v1/feeds/es.rss?limit=2");
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.headers.vary).toBe("Accept-Encoding");
    const br = await get("/v1/feeds/es.rss?limit=2", { "accept-encoding": "gzip, deflate, br" });
    expect(br.headers["content-encoding"]).toBe("br");
    expect(br.headers.vary).toBe("Accept-Encoding");
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(plain.body);
    expect(Number(br.headers["content-length"])).toBe(br.rawPayload.length);
    const gzip = await get("/v1/feeds/es.rss?limit=2", { "accept-encoding": "gzip" });
    expect(gzip.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(gzip.rawPayload).toString()).toBe(plain.body);
    // The same compressed bytes again: compressed once and kept, not per request.
    expect((await get("/v1/feeds/es.rss?limit=2", { "accept-encoding": "br" })).rawPayload.equals(br.rawPayload)).toBe(
      true,
    );
    const current = await get("/v1/feeds/es.rss?limit=2", {
      "accept-encoding": "br",
      "if-none-match": String(plain.headers.etag),
    });
    expect(current.statusCode).toBe(304);
    expect(current.rawPayload.length).toBe(0);
  });

  it("compresses the API's JSON responses when asked", async () => {
    const doc = await app.inject({ method: "GET", url: "/docs/json", headers: { "accept-encoding": "gzip" } });
    expect(doc.headers["content-encoding"]).toBe("gzip");
    expect(JSON.parse(gunzipSync(doc.rawPayload).toString()).openapi).toMatch(/^3\./);
    const ninjs = await get(`/v1/articles/${story}?lang=es`, { "accept-encoding": "br" });
    expect(ninjs.statusCode).toBe(200);
    expect(ninjs.headers["content-encoding"]).toBe("br");
    expect(JSON.parse(brotliDecompressSync(ninjs.rawPayload).toString()).language).toBe("es");
    // Below 1 KB a response goes out as it is.
    const small = await get("/v1/articles?lang=es&since=2100-01-01T00:00:00Z", { "accept-encoding": "br" });
    expect(small.headers["content-encoding"]).toBeUndefined();
  });
});

describe("renaming a source", () => {
  it("drops its cached feeds in every format and moves Last-Modified, so no validator hides the new name", async () => {
    const admin = (await createToken(runtime.db, { role: "admin" })).token;
    const { id } = await createSource(runtime.db, {
      url: "https://wire.example/feed",
      name: "Old Wire",
      targets: ["es"],
    });
    const articleId = await article(runtime.db, id, "renamed-1", "2026-11-02T10:00:00.000Z");
    await publishTestTranslation(runtime.db, articleId, "es", "Noticia de agencia");
    // Everything dated well in the past, so a move of Last-Modified cannot hide in the same second.
    const past = new Date("2026-11-02T12:00:00.000Z");
    await runtime.db.updateTable("translations").set({ live_at: past }).where("article_id", "=", articleId).execute();
    await runtime.db.updateTable("sources").set({ updated_at: past }).where("id", "=", id).execute();
    await app.feedGenerations.bump("es");
    const before = new Map<string, { etag: string; lastModified: string }>();
    for (const format of ["rss", "atom", "json"]) {
      const response = await get(`/v1/feeds/es.${format}?source=${id}`);
      expect(response.body).toContain("Old Wire");
      const validators = {
        etag: String(response.headers.etag),
        lastModified: String(response.headers["last-modified"]),
      };
      expect(validators.lastModified).toBe(past.toUTCString());
      // Cached: the same validators answer 304.
      expect((await get(`/v1/feeds/es.${format}?source=${id}`, { "if-none-match": validators.etag })).statusCode).toBe(
        304,
      );
      before.set(format, validators);
    }

    const renamed = await app.inject({
      method: "PATCH",
      url: `/v1/sources/${id}`,
      headers: { authorization: `Bearer ${admin}` },
      payload: { name: "New Wire" },
    });
    expect(renamed.statusCode, renamed.body).toBe(200);

    for (const [format, validators] of before) {
      const url = `/v1/feeds/es.${format}?source=${id}`;
      const byTag = await get(url, { "if-none-match": validators.etag });
      expect(byTag.statusCode).toBe(200);
      expect(byTag.body).toContain("New Wire");
      expect(byTag.body).not.toContain("Old Wire");
      const byDate = await get(url, { "if-modified-since": validators.lastModified });
      expect(byDate.statusCode).toBe(200);
      expect(new Date(String(byDate.headers["last-modified"])).getTime()).toBeGreaterThan(past.getTime());
    }
  });

  it("leaves the feeds cached when the change is one they do not show", async () => {
    const admin = (await createToken(runtime.db, { role: "admin" })).token;
    const generation = app.feedGenerations.known("es") ?? (await app.feedGenerations.read("es"));
    const source = await createSource(runtime.db, { url: "https://quiet.example/feed", targets: ["es"] });
    await publishTestTranslation(
      runtime.db,
      await article(runtime.db, source.id, "quiet-1", "2026-11-03T10:00:00.000Z"),
      "es",
      "Q",
    );
    const patched = await app.inject({
      method: "PATCH",
      url: `/v1/sources/${source.id}`,
      headers: { authorization: `Bearer ${admin}` },
      payload: { interval: "10m" },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(await app.feedGenerations.read("es")).toBe(generation);
  });
});
