import { setTimeout as sleep } from "node:timers/promises";
import {
  createPartner,
  createSource,
  createToken,
  type Db,
  ensureTranslation,
  transitionTranslation,
  upsertArticle,
} from "@babelwire/db";
import { publishTestTranslation, testArticle } from "@babelwire/db/testing";
import type { Runtime } from "@babelwire/runtime";
import { type RawBuilder, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiApp } from "../../app.ts";
import { openTestApp, type TestApp } from "../../testing/test-app.ts";

/** A partner licensed for every language this file reads, from every source: the entitlement matrix is elsewhere. */
const everyLanguage = { name: "Wire reader", languages: ["es", "ca", "de", "fr", "it", "nl", "no", "pt", "sv", "uk"] };

let testApp: TestApp;
let runtime: Runtime;
let app: ApiApp;
let tokens: Record<"partner" | "editor" | "admin", string>;
let base: string;
let sourceId: string;
let story: string;
let spanish: string;
let catalan: string;
let guids = 0;

interface Ninjs {
  uri: string;
  version: string;
  versioncreated: string;
  pubstatus: string;
  language: string;
  headlines: Array<{ value: string }>;
  bodies?: Array<{ value: string }>;
  associations?: Array<{ name: string; uri: string; language?: string; renditions?: Array<{ href: string }> }>;
  altids: Array<{ role: string; value: string }>;
}

interface Page {
  items: Ninjs[];
  nextCursor: string | null;
  hasMore: boolean;
}

async function article(db: Db, media: Array<{ url: string; type: string; caption: string }> = []) {
  const guid = `story-${++guids}`;
  const { id } = await upsertArticle(
    db,
    sourceId,
    testArticle(guid, { title: `Story ${guid}`, authors: ["A. Writer"], categories: ["Politics"], media }),
  );
  return id;
}

/** A correction going out: the article changed, the new translation is reviewed and published over the live one. */
async function correct(translationId: string, title: string) {
  const machine = { title, summary: "", contentHtml: `<p>${title}</p>`, segments: [], qa: [], engine: "apertium" };
  await transitionTranslation(runtime.db, translationId, "retranslate", { actor: "system" });
  await transitionTranslation(runtime.db, translationId, "start", { actor: "system" });
  await transitionTranslation(runtime.db, translationId, "finish", { actor: "system", machine });
  await transitionTranslation(runtime.db, translationId, "approve", { actor: "system" });
  await transitionTranslation(runtime.db, translationId, "publish", { actor: "system" });
}

/**
 * Sets when the live text of these translations last changed. With `together`, as if one
 * transaction had made all of them (or all before the order had transaction ids): their place in
 * the `changes` order is then the time, and the id between equal times.
 */
async function stamp(ids: string[], at: RawBuilder<Date>, together = false) {
  await runtime.db
    .updateTable("translations")
    .set({ live_at: at, ...(together && { change_xid: "0" }) })
    .where("id", "in", ids)
    .execute();
}

/** Moves these changes back in time to one instant with microseconds (which a Date cannot hold). */
const backdated = (seconds: number) =>
  sql<Date>`now() - make_interval(secs => ${seconds}) - interval '456 microseconds'`;

const get = (url: string, headers: Record<string, string> = {}, token = tokens.partner) =>
  app.inject({ method: "GET", url, headers: { authorization: `Bearer ${token}`, ...headers } });

async function page(lang: string, cursor: string | null, limit = 2): Promise<Page> {
  const query = new URLSearchParams({ lang, limit: String(limit), ...(cursor && { cursor }) });
  const response = await get(`/v1/articles?${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

/** Follows nextCursor while there is more; returns what it read and where it stopped. */
async function readToEnd(lang: string, cursor: string | null) {
  const items: Ninjs[] = [];
  for (;;) {
    const next = await page(lang, cursor);
    items.push(...next.items);
    cursor = next.nextCursor;
    if (!next.hasMore) return { items, cursor };
  }
}

beforeAll(async () => {
  testApp = await openTestApp("articles-test");
  ({ runtime, app } = testApp);
  tokens = {
    partner: (
      await createToken(runtime.db, { role: "partner", partnerId: (await createPartner(runtime.db, everyLanguage)).id })
    ).token,
    editor: (await createToken(runtime.db, { role: "editor" })).token,
    admin: (await createToken(runtime.db, { role: "admin" })).token,
  };
  base = runtime.config.PUBLIC_BASE_URL;
  sourceId = (await createSource(runtime.db, { url: "https://example.org/feed", targets: ["es", "ca"] })).id;
  story = await article(runtime.db, [{ url: "https://example.org/photo.jpg", type: "image/jpeg", caption: "A photo" }]);
  spanish = await publishTestTranslation(runtime.db, story, "es", "Historia");
  catalan = await publishTestTranslation(runtime.db, story, "ca", "Història");
});

afterAll(() => testApp?.close());

describe("GET /v1/articles/{id}", () => {
  it("serves the language version as ninjs, linked to the original and the other languages at the Atom links' URLs", async () => {
    const response = await get(`/v1/articles/${story}?lang=es`);
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toBe("application/json; charset=utf-8");
    const item: Ninjs = response.json();
    expect(item).toMatchObject({
      uri: `urn:babelwire:${spanish}`,
      pubstatus: "usable",
      language: "es",
      headlines: [{ value: "Historia" }],
    });
    expect(item.bodies?.[0]?.value).toMatch(/^<p>Historia<\/p>\n<p class="babelwire-attribution">/);
    expect(item.associations).toEqual([
      expect.objectContaining({ name: "original", uri: "https://example.org/story-1", language: "en" }),
      {
        name: "translation:ca",
        uri: `urn:babelwire:${catalan}`,
        type: "text",
        language: "ca",
        representationtype: "partial",
        // Exactly the href of the Atom entry's <link rel="alternate" hreflang="ca">.
        renditions: [{ name: "ninjs", href: `${base}/v1/articles/${story}?lang=ca`, contenttype: "application/json" }],
      },
      expect.objectContaining({ name: "featureimage", uri: "https://example.org/photo.jpg", type: "picture" }),
    ]);
    expect(item.altids).toEqual([
      { role: "babelwire:article", value: story },
      { role: "babelwire:original-url", value: "https://example.org/story-1" },
      // An article that no other source's copy matched starts its own story.
      { role: "story", value: story },
    ]);
  });

  it("answers 304 to a matching If-None-Match or If-Modified-Since, and changes both when another language is published", async () => {
    const first = await get(`/v1/articles/${story}?lang=es`);
    const { etag, "last-modified": lastModified } = first.headers;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const byTag = await get(`/v1/articles/${story}?lang=es`, { "if-none-match": String(etag) });
    expect(byTag.statusCode).toBe(304);
    expect(byTag.body).toBe("");
    expect((await get(`/v1/articles/${story}?lang=es`, { "if-modified-since": String(lastModified) })).statusCode).toBe(
      304,
    );
    expect((await get(`/v1/articles/${story}?lang=es`, { "if-none-match": '"stale"' })).statusCode).toBe(200);

    await sleep(1_000); // Last-Modified has whole seconds.
    const german = await publishTestTranslation(runtime.db, story, "de", "Geschichte");
    const after = await get(`/v1/articles/${story}?lang=es`, { "if-none-match": String(etag) });
    expect(after.statusCode).toBe(200);
    expect(after.headers.etag).not.toBe(etag);
    expect(new Date(String(after.headers["last-modified"])).getTime()).toBeGreaterThan(
      new Date(String(lastModified)).getTime(),
    );
    expect((await get(`/v1/articles/${story}?lang=es`, { "if-modified-since": String(lastModified) })).statusCode).toBe(
      200,
    );
    const links = (after.json() as Ninjs).associations?.map((association) => [association.name, association.uri]);
    expect(links).toContainEqual(["translation:de", `urn:babelwire:${german}`]);
  });

  it("serves a withdrawn version as canceled without its text, and unlinks it from the others", async () => {
    const withdrawn = await article(runtime.db);
    await publishTestTranslation(runtime.db, withdrawn, "es", "Retirada");
    const gone = await publishTestTranslation(runtime.db, withdrawn, "ca", "Retirada");
    await transitionTranslation(runtime.db, gone, "withdraw", { actor: "system" });
    const canceled: Ninjs = (await get(`/v1/articles/${withdrawn}?lang=ca`)).json();
    expect(canceled).toMatchObject({ uri: `urn:babelwire:${gone}`, pubstatus: "canceled", language: "ca" });
    expect(canceled.bodies).toBeUndefined();
    const live: Ninjs = (await get(`/v1/articles/${withdrawn}?lang=es`)).json();
    expect(live.associations?.map((association) => association.name)).toEqual(["original"]);
  });

  it("answers 404 not_found for a language without a published version and for an unknown article", async () => {
    const unpublished = await article(runtime.db);
    await ensureTranslation(runtime.db, unpublished, "es", 1);
    for (const url of [
      `/v1/articles/${story}?lang=fr`,
      `/v1/articles/${unpublished}?lang=es`,
      "/v1/articles/00000000-0000-4000-8000-000000000000?lang=es",
    ]) {
      const response = await get(url);
      expect(response.statusCode, url).toBe(404);
      expect(response.json().error.code).toBe("not_found");
    }
  });

  it("answers 400 naming the field for a bad language, a missing one or an id that is no UUID", async () => {
    for (const [url, field] of [
      [`/v1/articles/${story}?lang=not_a_language!`, "lang"],
      [`/v1/articles/${story}`, "lang"],
      ["/v1/articles/42?lang=es", "id"],
    ] as const) {
      const response = await get(url);
      expect(response.statusCode, url).toBe(400);
      expect(response.json().error).toMatchObject({ code: "invalid_request", field });
    }
  });

  it("admits partner, editor and admin tokens by header only, and answers 401 without one", async () => {
    const url = `/v1/articles/${story}?lang=es`;
    for (const token of Object.values(tokens)) expect((await get(url, {}, token)).statusCode).toBe(200);
    expect((await app.inject({ method: "GET", url })).statusCode).toBe(401);
    expect((await get(url, {}, "not-a-token")).statusCode).toBe(401);
    expect((await app.inject({ method: "GET", url: "/v1/articles?lang=es" })).json().error.code).toBe("unauthorized");
  });
});

describe("GET /v1/articles (sync by changes)", () => {
  it("never skips or repeats an item while items are published and corrected between page reads", async () => {
    const originals: string[] = [];
    for (let i = 0; i < 5; i++)
      originals.push(await publishTestTranslation(runtime.db, await article(runtime.db), "fr", `Article ${i}`));
    // All five at the same microsecond-precise instant: pages must break the tie by id.
    await stamp(originals, backdated(60), true);
    const byId = [...originals].sort();
    const [firstRead, , , , lastUnread] = byId as [string, string, string, string, string];

    const one = await page("fr", null);
    expect(one.items.map((item) => item.uri)).toEqual(byId.slice(0, 2).map((id) => `urn:babelwire:${id}`));
    expect(one.hasMore).toBe(true);
    // Meanwhile: a new article, a correction of one already read and of one not read yet.
    const fresh = await publishTestTranslation(runtime.db, await article(runtime.db), "fr", "Nouveau");
    await correct(firstRead, "Article corrigé");
    await correct(lastUnread, "Dernier corrigé");
    const two = await page("fr", one.nextCursor);
    // The untouched items come first: they changed before any of the new changes.
    expect(two.items.map((item) => item.uri)).toEqual(byId.slice(2, 4).map((id) => `urn:babelwire:${id}`));
    const later = await publishTestTranslation(runtime.db, await article(runtime.db), "fr", "Plus tard");
    const rest = await readToEnd("fr", two.nextCursor);

    const seen = [...one.items, ...two.items, ...rest.items];
    const expected = [...originals, fresh, later].map((id) => `urn:babelwire:${id}`);
    expect(new Set(seen.map((item) => item.uri))).toEqual(new Set(expected));
    const versions = seen.map((item) => `${item.uri}@${item.version}`);
    expect(new Set(versions).size).toBe(versions.length);
    // The correction of an item already read comes again as its new version; the other only once, corrected.
    const readTwice = seen.filter((item) => item.uri === `urn:babelwire:${firstRead}`);
    const firstTitle = `Article ${originals.indexOf(firstRead)}`;
    expect(readTwice.map((item) => item.headlines[0]?.value)).toEqual([firstTitle, "Article corrigé"]);
    expect(Number(readTwice[1]?.version)).toBeGreaterThan(Number(readTwice[0]?.version));
    const readOnce = seen.filter((item) => item.uri === `urn:babelwire:${lastUnread}`);
    expect(readOnce.map((item) => item.headlines[0]?.value)).toEqual(["Dernier corrigé"]);
    // Oldest change first: the order things happened in.
    expect(rest.items.map((item) => item.uri)).toEqual(
      [fresh, firstRead, lastUnread, later].map((id) => `urn:babelwire:${id}`),
    );
    const times = seen.map((item) => item.versioncreated);
    expect(times).toEqual([...times].sort());

    // Kept and sent again later, the last cursor brings nothing twice and then what changed since.
    const idle = await page("fr", rest.cursor);
    expect(idle).toEqual({ items: [], nextCursor: rest.cursor, hasMore: false });
  });

  it("shows a change the moment it is committed, and goes on from a cursor given out before transaction ids", async () => {
    const old = await publishTestTranslation(runtime.db, await article(runtime.db), "it", "Vecchio");
    await stamp([old], backdated(60), true);
    const { micros } = await runtime.db
      .selectFrom("translations")
      .select(sql<string>`(extract(epoch from live_at) * 1000000)::bigint::text`.as("micros"))
      .where("id", "=", old)
      .executeTakeFirstOrThrow();
    // What this API gave out for `old` when the order was by time alone: [live_at in µs, id].
    const oldCursor = Buffer.from(JSON.stringify([micros, old])).toString("base64url");
    const fresh = await publishTestTranslation(runtime.db, await article(runtime.db), "it", "Veloce");
    const after = await page("it", oldCursor, 10);
    expect(after.items.map((item) => item.uri)).toEqual([`urn:babelwire:${fresh}`]);
  });

  it("reports withdrawals as canceled items, oldest change first, after `since`", async () => {
    const kept = await publishTestTranslation(runtime.db, await article(runtime.db), "pt", "Mantido");
    const gone = await publishTestTranslation(runtime.db, await article(runtime.db), "pt", "Retirado");
    await stamp([kept, gone], backdated(120));
    await transitionTranslation(runtime.db, gone, "withdraw", { actor: "system" });
    await stamp([gone], backdated(60));
    const all = await page("pt", null, 10);
    expect(all.items.map((item) => [item.uri, item.pubstatus])).toEqual([
      [`urn:babelwire:${kept}`, "usable"],
      [`urn:babelwire:${gone}`, "canceled"],
    ]);
    const since = new Date(Date.now() - 90_000).toISOString();
    const recent: Page = (await get(`/v1/articles?lang=pt&since=${since}`)).json();
    expect(recent.items.map((item) => item.uri)).toEqual([`urn:babelwire:${gone}`]);
    expect(recent.nextCursor).toEqual(expect.any(String));
  });

  it("keeps serving the live version while a newer one waits for review", async () => {
    const story2 = await article(runtime.db);
    const live = await publishTestTranslation(runtime.db, story2, "nl", "Live");
    const other = await publishTestTranslation(runtime.db, story2, "sv", "Direkt");
    await stamp([live, other], backdated(30));
    const before: Page = await page("nl", null, 200);
    const listed = before.items.find((item) => item.uri === `urn:babelwire:${live}`);
    expect(listed?.headlines[0]?.value).toBe("Live");
    await transitionTranslation(runtime.db, live, "retranslate", { actor: "system" });
    const waiting = await get(`/v1/articles/${story2}?lang=nl`);
    expect(waiting.json()).toMatchObject({ pubstatus: "usable", headlines: [{ value: "Live" }] });
    expect(waiting.json().version).toBe(listed?.version);
    // And the other languages still link it, also while their own new versions wait.
    await transitionTranslation(runtime.db, other, "retranslate", { actor: "system" });
    const linked: Ninjs = (await get(`/v1/articles/${story2}?lang=sv`)).json();
    expect(linked.associations?.map((association) => association.uri)).toContain(`urn:babelwire:${live}`);
    const listedAgain = (await get(`/v1/articles/${story2}?lang=nl`)).json() as Ninjs;
    expect(listedAgain.associations?.map((association) => association.uri)).toContain(`urn:babelwire:${other}`);
    // Nothing a partner sees changed, so the sync has nothing new to say.
    expect((await page("nl", before.nextCursor, 200)).items).toEqual([]);
  });

  it("answers 400 naming the field for a bad language, cursor, since or limit", async () => {
    const foreign = Buffer.from(JSON.stringify(["2026-11-01T10:00:00Z", "x"])).toString("base64url");
    for (const [query, field] of [
      ["lang=not_a_language!", "lang"],
      ["", "lang"],
      ["lang=es&cursor=garbage", "cursor"],
      [`lang=es&cursor=${foreign}`, "cursor"],
      ["lang=es&since=yesterday", "since"],
      ["lang=es&limit=0", "limit"],
      ["lang=es&limit=201", "limit"],
    ] as const) {
      const response = await get(`/v1/articles?${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.json().error.code).toBe("invalid_request");
      if (field) expect(response.json().error.field, query).toBe(field);
    }
    expect((await get("/v1/articles?lang=es&limit=200")).statusCode).toBe(200);
    // Parameters it does not know (a cache-buster, a paging habit) are ignored, as feed APIs do.
    expect((await get("/v1/articles?lang=es&page=2&_=123")).statusCode).toBe(200);
  });
});

describe("the OpenAPI document", () => {
  it("documents both routes, their errors and every property the API sends, with the language-version roles", async () => {
    const doc = (await app.inject({ method: "GET", url: "/docs/json" })).json();
    const one = doc.paths["/v1/articles/{id}"]?.get;
    const list = doc.paths["/v1/articles"]?.get;
    expect(one.parameters.map((p: { name: string }) => p.name).sort()).toEqual(["id", "lang"]);
    expect(list.parameters.map((p: { name: string }) => p.name).sort()).toEqual([
      "cursor",
      "dedupe",
      "lang",
      "limit",
      "since",
      "wait",
    ]);
    expect(list.description).toContain("**Long poll:** with `wait=N`");
    expect(Object.keys(one.responses).sort()).toEqual(["200", "304", "400", "401", "403", "404", "429"]);
    expect(Object.keys(list.responses).sort()).toEqual(["200", "304", "400", "401", "403", "429"]);
    for (const route of [one, list]) {
      expect(route.description).toContain('`name: "translation:<lang>"`');
      expect(route.description).toContain('`role: "babelwire:article"`');
    }
    const schema = one.responses["200"].content["application/json"].schema;
    const listSchema = list.responses["200"].content["application/json"].schema;
    expect(Object.keys(listSchema.properties).sort()).toEqual(["hasMore", "items", "nextCursor"]);
    // What the route sends is what the document describes: no property goes undocumented.
    const item: Record<string, unknown> = (await get(`/v1/articles/${story}?lang=es`)).json();
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(Object.keys(item)));
    const associations = item.associations as Array<Record<string, unknown>>;
    const documented = Object.keys(schema.properties.associations.items.properties);
    for (const association of associations)
      expect(documented).toEqual(expect.arrayContaining(Object.keys(association)));
  });
});
