import {
  createPartner,
  createSource,
  createToken,
  setArticleStory,
  transitionTranslation,
  upsertArticle,
} from "@babelwire/db";
import { publishTestTranslation, testArticle } from "@babelwire/db/testing";
import { openRuntime, type Runtime } from "@babelwire/runtime";
import { clearQueuePrefix, testConfig } from "@babelwire/runtime/testing";
import { feedparser } from "@babelwire/syndicate/testing";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiApp, buildApp } from "../../app.ts";
import { openTestApp, type TestApp } from "../../testing/test-app.ts";

/**
 * What a partner's CMS trips over when it imports our feeds and ninjs as they are: links that
 * open, dates that make sense, enclosures as the agency gave them, lenient query strings, a way
 * to learn source ids, one item per story, and versions that count what the partner received.
 */

let testApp: TestApp;
let runtime: Runtime;
let app: ApiApp;
let admin: string;
let partner: string;
let wire: string;
let agency: string;
let first: string;
let second: string;
let firstSpanish: string;

const machine = (title: string) => ({
  title,
  summary: `${title}: entradilla`,
  contentHtml: `<p>${title}</p>`,
  segments: [],
  qa: [],
  engine: "apertium",
});

beforeAll(async () => {
  testApp = await openTestApp("cms-import-test");
  ({ runtime, app } = testApp);
  const { db } = runtime;
  wire = (await createSource(db, { url: "https://wire.example/feed", name: "Wire", targets: ["es"] })).id;
  agency = (await createSource(db, { url: "https://agency.example/feed", name: "Agency", targets: ["es"] })).id;
  admin = (await createToken(db, { role: "admin" })).token;
  const licensed = await createPartner(db, { name: "Diario", languages: ["es"], sources: [agency] });
  partner = (await createToken(db, { role: "partner", partnerId: licensed.id })).token;
  const media = [{ url: "https://wire.example/photo.jpg", type: "image/jpeg", caption: "A photo", length: 12345 }];
  first = (await upsertArticle(db, wire, testArticle("w-1", { categories: ["Politics"], media }))).id;
  second = (await upsertArticle(db, agency, testArticle("a-1", { categories: ["Economy"] }))).id;
  // The same wire copy through two sources: one story.
  for (const id of [first, second]) await setArticleStory(db, id, { simhash: null, bands: null, storyId: first });
  firstSpanish = await publishTestTranslation(db, first, "es", "Primero");
  await publishTestTranslation(db, second, "es", "Segundo");
  // Told apart by when each went out.
  await db
    .updateTable("translations")
    .set({ published_at: sql`now() - interval '10 minutes'`, live_at: sql`now() - interval '10 minutes'` })
    .where("article_id", "=", first)
    .execute();
  await db
    .updateTable("translations")
    .set({ published_at: sql`now() - interval '5 minutes'`, live_at: sql`now() - interval '5 minutes'` })
    .where("article_id", "=", second)
    .execute();
});

afterAll(async () => {
  await testApp?.close();
});

const get = (url: string, token = admin) =>
  app.inject({ method: "GET", url, headers: { authorization: `Bearer ${token}` } });

describe("feeds a CMS imports as they are", () => {
  it("links the channel, the Atom feed and the JSON Feed to a page that answers 200", async () => {
    const rss = feedparser((await get("/v1/feeds/es.rss")).body);
    const atom = feedparser((await get("/v1/feeds/es.atom")).body);
    const json = (await get("/v1/feeds/es.json")).json();
    expect(rss.link).toBe(json.home_page_url);
    expect(atom.link).toBe(json.home_page_url);
    const site = new URL(String(json.home_page_url));
    expect(`${site.protocol}//${site.host}`).toBe(runtime.config.PUBLIC_BASE_URL);
    const page = await app.inject({ method: "GET", url: site.pathname });
    expect(page.statusCode).toBe(200);
  });

  it("takes the site link from PUBLIC_SITE_URL when the operator gives one", async () => {
    const other = await openRuntime(testConfig({ PUBLIC_SITE_URL: "https://news.example/wire" }), "cms-site-url");
    const otherApp = await buildApp(other);
    try {
      const token = (await createToken(other.db, { role: "admin" })).token;
      const rss = await otherApp.inject({ method: "GET", url: `/v1/feeds/es.rss?token=${token}` });
      expect(feedparser(rss.body).link).toBe("https://news.example/wire");
    } finally {
      await otherApp.close();
      await clearQueuePrefix(other.redis, other.config.QUEUE_PREFIX);
      await other.close();
    }
  });

  it("dates an empty feed now, not 1 January 1970", async () => {
    const empty = await get("/v1/feeds/es-MX.rss", partner);
    expect(empty.statusCode).toBe(200);
    const parsed = feedparser(empty.body);
    expect(parsed.entries).toEqual([]);
    expect(parsed.updatedYear).toBeGreaterThanOrEqual(new Date().getUTCFullYear() - 1);
    expect(new Date(String(empty.headers["last-modified"])).getUTCFullYear()).toBeGreaterThan(1970);
  });

  it("keeps the enclosure's length and type as the source gave them", async () => {
    const rss = feedparser((await get("/v1/feeds/es.rss")).body);
    const item = rss.entries.find((entry) => entry.title === "Primero");
    expect(item?.enclosures).toEqual([{ href: "https://wire.example/photo.jpg", type: "image/jpeg", length: "12345" }]);
    const json = (await get("/v1/feeds/es.json")).json();
    const attachment = json.items.find((entry: { title: string }) => entry.title === "Primero").attachments[0];
    expect(attachment).toMatchObject({ mime_type: "image/jpeg", size_in_bytes: 12345 });
  });

  it("matches a category whatever its case", async () => {
    const titles = async (url: string) =>
      (await get(url)).json().items.map((item: { title: string }) => item.title) as string[];
    expect(await titles("/v1/feeds/es.json?category=politics")).toEqual(["Primero"]);
    expect(await titles("/v1/feeds/es.json?category=POLITICS")).toEqual(["Primero"]);
    expect(await titles("/v1/feeds/es.json?category=Politics")).toEqual(["Primero"]);
  });

  it("ignores query parameters it does not know, such as a cache-buster", async () => {
    expect((await get("/v1/articles?lang=es&_=123")).statusCode).toBe(200);
    expect((await get(`/v1/articles/${first}?lang=es&_=123`)).statusCode).toBe(200);
    expect((await get("/v1/feeds/es.rss?_=123")).statusCode).toBe(200);
  });
});

describe("one story, told through two sources", () => {
  it("names the story in ninjs altids, JSON Feed and RSS", async () => {
    const ninjs = (await get(`/v1/articles/${second}?lang=es`)).json();
    expect(ninjs.altids).toContainEqual({ role: "story", value: first });
    const json = (await get("/v1/feeds/es.json")).json();
    expect(json.items.map((item: { _babelwire: { story: string } }) => item._babelwire.story)).toEqual([first, first]);
    expect((await get("/v1/feeds/es.rss")).body).toContain(`<dc:relation>urn:babelwire:story:${first}</dc:relation>`);
  });

  it("gives only the first item of a story with ?dedupe=story, in feeds and the sync", async () => {
    const titles = (body: { items: Array<{ title?: string; headlines?: Array<{ value: string }> }> }) =>
      body.items.map((item) => item.title ?? item.headlines?.[0]?.value);
    expect(titles((await get("/v1/feeds/es.json")).json())).toEqual(["Segundo", "Primero"]);
    expect(titles((await get("/v1/feeds/es.json?dedupe=story")).json())).toEqual(["Primero"]);
    expect(feedparser((await get("/v1/feeds/es.rss?dedupe=story")).body).entries).toHaveLength(1);
    expect(titles((await get("/v1/articles?lang=es")).json())).toEqual(["Primero", "Segundo"]);
    expect(titles((await get("/v1/articles?lang=es&dedupe=story")).json())).toEqual(["Primero"]);
  });

  it("still gives the story once to a partner licensed only for the second source", async () => {
    const deduped = (await get("/v1/feeds/es.json?dedupe=story", partner)).json();
    expect(deduped.items.map((item: { title: string }) => item.title)).toEqual(["Segundo"]);
  });
});

describe("sources for partners", () => {
  it("lists only the partner's licensed sources, with id, name and language", async () => {
    const response = await get("/v1/sources", partner);
    expect(response.statusCode).toBe(200);
    expect(response.json().items).toEqual([{ id: agency, name: "Agency", language: "auto" }]);
    const everything = (await get("/v1/sources")).json().items;
    expect(everything.map((source: { id: string }) => source.id).sort()).toEqual([wire, agency].sort());
    expect(everything[0]).toHaveProperty("health");
  });
});

describe("ninjs version", () => {
  it("is 1 on the first delivery and goes up by one per change partners receive", async () => {
    const article = (await upsertArticle(runtime.db, wire, testArticle("w-versioned"))).id;
    const id = await publishTestTranslation(runtime.db, article, "es", "Versión uno");
    expect((await get(`/v1/articles/${article}?lang=es`)).json().version).toBe("1");
    // An editor's correction moves the translation through four states; partners get one change.
    await transitionTranslation(runtime.db, id, "retranslate", { actor: "system" });
    await transitionTranslation(runtime.db, id, "start", { actor: "system" });
    await transitionTranslation(runtime.db, id, "finish", { actor: "system", machine: machine("Versión dos") });
    expect((await get(`/v1/articles/${article}?lang=es`)).json().version).toBe("1");
    await transitionTranslation(runtime.db, id, "approve", { actor: "system" });
    await transitionTranslation(runtime.db, id, "publish", { actor: "system" });
    expect((await get(`/v1/articles/${article}?lang=es`)).json().version).toBe("2");
  });

  it("is untouched on the first item by the later publications of others", async () => {
    expect((await get(`/v1/articles/${first}?lang=es`)).json()).toMatchObject({
      uri: `urn:babelwire:${firstSpanish}`,
      version: "1",
    });
  });
});
