import {
  createPartner,
  createSource,
  createToken,
  type Db,
  ensureTranslation,
  transitionTranslation,
  upsertArticle,
} from "@babelwire/db";
import { testArticle } from "@babelwire/db/testing";
import type { Runtime } from "@babelwire/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiApp } from "../../app.ts";
import { openTestApp, type TestApp } from "../../testing/test-app.ts";

/**
 * The entitlement matrix: every partner × language × source, on the three feed formats and both
 * ninjs routes, answers 200 or 403 `not_entitled` exactly as the partner's licence says, and a
 * 200 shows only items of licensed sources.
 */

const LANGUAGES = ["es", "ca", "uk"] as const;
const SOURCES = ["wire", "daily"] as const;
const FORMATS = ["rss", "atom", "json"] as const;
type Lang = (typeof LANGUAGES)[number];
type SourceName = (typeof SOURCES)[number];

interface Licence {
  languages: Lang[];
  /** null: every source. */
  sources: SourceName[] | null;
}

/** The licences under test, written out by hand so the expectation does not reuse the code under test. */
const PARTNERS: Record<string, Licence> = {
  "Spanish, wire only": { languages: ["es"], sources: ["wire"] },
  "Spanish and Catalan, every source": { languages: ["es", "ca"], sources: null },
  "Catalan, daily only": { languages: ["ca"], sources: ["daily"] },
  "Ukrainian, both sources by name": { languages: ["uk"], sources: ["wire", "daily"] },
};

const licensed = (licence: Licence, lang: Lang, source: SourceName) =>
  licence.languages.includes(lang) && (licence.sources === null || licence.sources.includes(source));

let testApp: TestApp;
let runtime: Runtime;
let app: ApiApp;
let admin: string;
let editor: string;
const sourceIds = {} as Record<SourceName, string>;
/** One article per source, published in every language. */
const articleIds = {} as Record<SourceName, string>;
const partners: Record<string, { id: string; token: string }> = {};

const title = (source: SourceName, lang: Lang) => `Story of ${source} in ${lang}`;

async function publishEverywhere(db: Db, source: SourceName) {
  const { id } = await upsertArticle(
    db,
    sourceIds[source],
    testArticle(`${source}-1`, {
      url: `https://${source}.example.org/1`,
      title: `Story of ${source}`,
      categories: ["Politics"],
      contentHash: source,
    }),
  );
  articleIds[source] = id;
  for (const lang of LANGUAGES) {
    const row = await ensureTranslation(db, id, lang, 1);
    const text = title(source, lang);
    const machine = {
      title: text,
      summary: text,
      contentHtml: `<p>${text}</p>`,
      segments: [],
      qa: [],
      engine: "apertium",
    };
    await transitionTranslation(db, row.id, "start", { actor: "system" });
    await transitionTranslation(db, row.id, "finish", { actor: "system", machine });
    await transitionTranslation(db, row.id, "approve", { actor: "system" });
    await transitionTranslation(db, row.id, "publish", { actor: "system" });
  }
}

beforeAll(async () => {
  testApp = await openTestApp("entitlements-test");
  ({ runtime, app } = testApp);
  admin = (await createToken(runtime.db, { role: "admin" })).token;
  editor = (await createToken(runtime.db, { role: "editor" })).token;
  for (const source of SOURCES) {
    sourceIds[source] = (
      await createSource(runtime.db, { url: `https://${source}.example.org/feed`, targets: [...LANGUAGES] })
    ).id;
    await publishEverywhere(runtime.db, source);
  }
  for (const [name, licence] of Object.entries(PARTNERS)) {
    const row = await createPartner(runtime.db, {
      name,
      languages: licence.languages,
      sources: licence.sources?.map((source) => sourceIds[source]) ?? null,
    });
    partners[name] = {
      id: row.id,
      token: (await createToken(runtime.db, { role: "partner", partnerId: row.id })).token,
    };
  }
});

afterAll(() => testApp?.close());

const bearer = (url: string, token: string) =>
  app.inject({ method: "GET", url, headers: { authorization: `Bearer ${token}` } });
/** Feeds as a feed reader that cannot send headers asks for them. */
const inQuery = (url: string, token: string) =>
  app.inject({ method: "GET", url: `${url}${url.includes("?") ? "&" : "?"}token=${encodeURIComponent(token)}` });

function titlesOf(format: (typeof FORMATS)[number], body: string): string[] {
  if (format === "json")
    return (JSON.parse(body) as { items: Array<{ title: string }> }).items.map((item) => item.title);
  const tag = format === "rss" ? "item" : "entry";
  return [
    ...body.matchAll(new RegExp(`<${tag}>[\\s\\S]*?<title[^>]*>(?:<!\\[CDATA\\[)?(.*?)(?:\\]\\]>)?</title>`, "g")),
  ].map((match) => match[1] ?? "");
}

const cells = Object.entries(PARTNERS).flatMap(([name, licence]) =>
  LANGUAGES.flatMap((lang) => SOURCES.map((source) => ({ name, licence, lang, source }))),
);

describe("the entitlement matrix: partner × language × source", () => {
  it.each(cells)("$name reading $lang from $source", async ({ name, licence, lang, source }) => {
    const { token } = partners[name] ?? { token: "" };
    const expected = licensed(licence, lang, source) ? 200 : 403;
    for (const format of FORMATS) {
      const feed = await inQuery(`/v1/feeds/${lang}.${format}?source=${sourceIds[source]}`, token);
      expect(feed.statusCode, `${format} feed`).toBe(expected);
      if (expected === 200) expect(titlesOf(format, feed.body)).toEqual([title(source, lang)]);
      else expect(feed.json().error.code).toBe("not_entitled");
    }
    const item = await bearer(`/v1/articles/${articleIds[source]}?lang=${lang}`, token);
    expect(item.statusCode, "ninjs item").toBe(expected);
    if (expected === 200) expect(item.json().headlines[0].value).toBe(title(source, lang));
    else expect(item.json().error.code).toBe("not_entitled");
  });

  const languages = Object.entries(PARTNERS).flatMap(([name, licence]) =>
    LANGUAGES.map((lang) => ({ name, licence, lang })),
  );

  it.each(languages)(
    "$name: the unfiltered $lang feeds and sync hold exactly the licensed sources",
    async ({ name, licence, lang }) => {
      const { token } = partners[name] ?? { token: "" };
      const visible = SOURCES.filter((source) => licensed(licence, lang, source)).map((source) => title(source, lang));
      const expected = licence.languages.includes(lang) ? 200 : 403;
      for (const format of FORMATS) {
        const feed = await inQuery(`/v1/feeds/${lang}.${format}`, token);
        expect(feed.statusCode, `${format} feed`).toBe(expected);
        if (expected === 200) expect(titlesOf(format, feed.body).sort()).toEqual(visible.sort());
      }
      const sync = await bearer(`/v1/articles?lang=${lang}`, token);
      expect(sync.statusCode, "ninjs sync").toBe(expected);
      if (expected === 200) {
        const headlines = (sync.json() as { items: Array<{ headlines: Array<{ value: string }> }> }).items.map(
          (item) => item.headlines[0]?.value ?? "",
        );
        expect(headlines.sort()).toEqual(visible.sort());
      } else {
        expect(sync.json().error.code).toBe("not_entitled");
      }
    },
  );

  it("lets admins and editors read every language of every source", async () => {
    for (const token of [admin, editor]) {
      for (const lang of LANGUAGES) {
        const feed = await inQuery(`/v1/feeds/${lang}.json`, token);
        expect(titlesOf("json", feed.body).sort()).toEqual(SOURCES.map((source) => title(source, lang)).sort());
        for (const source of SOURCES) {
          expect((await bearer(`/v1/articles/${articleIds[source]}?lang=${lang}`, token)).statusCode).toBe(200);
        }
      }
    }
  });

  it("refuses a partner token that belongs to no partner: it licenses nothing", async () => {
    const { token } = await createToken(runtime.db, { role: "partner" });
    const feed = await inQuery("/v1/feeds/es.rss", token);
    expect(feed.statusCode).toBe(403);
    expect(feed.json().error.code).toBe("not_entitled");
  });
});

describe("the feed cache under entitlements", () => {
  it("shares one entry between admins and partners of every source, and keeps a narrower licence apart", async () => {
    const everySource = partners["Spanish and Catalan, every source"]?.token ?? "";
    const wireOnly = partners["Spanish, wire only"]?.token ?? "";
    const prefix = runtime.config.QUEUE_PREFIX;
    const wide = await inQuery("/v1/feeds/es.atom?limit=7", everySource);
    const byAdmin = await inQuery("/v1/feeds/es.atom?limit=7", admin);
    const narrow = await inQuery("/v1/feeds/es.atom?limit=7", wireOnly);
    expect([wide.statusCode, byAdmin.statusCode, narrow.statusCode]).toEqual([200, 200, 200]);
    expect(byAdmin.headers.etag).toBe(wide.headers.etag);
    expect(narrow.headers.etag).not.toBe(wide.headers.etag);
    const keys = await runtime.redis.keys(`${prefix}:feed:es:*:atom:-:-:7*`);
    expect(keys).toHaveLength(2);
    expect(keys.filter((key) => /:7:s[0-9a-f]{16}$/.test(key))).toHaveLength(1);
  });
});

describe("a licence that changes or ends", () => {
  it("applies a changed licence at once, and answers 401 once the token is revoked or its partner deleted", async () => {
    const partner = await createPartner(runtime.db, { name: "Short-lived", languages: ["es"] });
    const first = (await createToken(runtime.db, { role: "partner", partnerId: partner.id })).token;
    const second = await createToken(runtime.db, { role: "partner", partnerId: partner.id });
    const asAdmin = { authorization: `Bearer ${admin}` };
    expect((await inQuery("/v1/feeds/uk.rss", first)).statusCode).toBe(403);
    const patched = await app.inject({
      method: "PATCH",
      url: `/v1/partners/${partner.id}`,
      headers: asAdmin,
      payload: { languages: ["es", "uk"] },
    });
    expect(patched.statusCode).toBe(200);
    expect((await inQuery("/v1/feeds/uk.rss", first)).statusCode).toBe(200);

    const revoked = await app.inject({ method: "DELETE", url: `/v1/tokens/${second.row.id}`, headers: asAdmin });
    expect(revoked.statusCode).toBe(204);
    const afterRevoke = await inQuery("/v1/feeds/es.rss", second.token);
    expect(afterRevoke.statusCode).toBe(401);
    expect(afterRevoke.json().error.code).toBe("unauthorized");

    expect(
      (await app.inject({ method: "DELETE", url: `/v1/partners/${partner.id}`, headers: asAdmin })).statusCode,
    ).toBe(204);
    for (const response of [
      await inQuery("/v1/feeds/es.rss", first),
      await bearer(`/v1/articles/${articleIds.wire}?lang=es`, first),
      await bearer("/v1/articles?lang=es", first),
    ]) {
      expect(response.statusCode).toBe(401);
      expect(response.json().error.code).toBe("unauthorized");
    }
  });
});
