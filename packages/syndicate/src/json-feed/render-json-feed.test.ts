import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { corporaDir } from "@babelwire/core/corpora";
import { Ajv, type ValidateFunction } from "ajv";
import formats from "ajv-formats";
import { beforeAll, describe, expect, it } from "vitest";
import { attributionHtml } from "../attribution.ts";
import { bareItem, evilItem, feedDocument, feedItem, HOSTILE } from "../testing/feed-fixtures.ts";
import { renderJsonFeed } from "./render-json-feed.ts";

/** sonicdoe/jsonfeed-schema's JSON Feed 1.1 schema from the shared corpora: draft-07, so Ajv's default build. */
const SCHEMA_FILE = path.join(corporaDir(), "jsonfeed/jsonfeed-schema/schema-v1.1.json");
/** CI always has the shared corpora; a clone without them runs the schema checks nowhere but says so. */
const HAVE_SCHEMA = existsSync(SCHEMA_FILE);
if (!HAVE_SCHEMA) console.warn(`JSON Feed schema not found at ${SCHEMA_FILE}: the schema checks do not run here`);

function jsonFeedSchema(): ValidateFunction {
  const file = SCHEMA_FILE;
  const schema = JSON.parse(readFileSync(file, "utf8")) as { $schema: string };
  expect(schema.$schema).toBe("http://json-schema.org/draft-07/schema#");
  // Strict, but the upstream schema names content_html/content_text as required inside anyOf branches.
  const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
  // ajv-formats is CommonJS: its plugin is the module's `default` property.
  formats.default(ajv);
  return ajv.compile(schema);
}

interface JsonFeedItem {
  id: string;
  url?: string;
  title: string;
  content_html: string;
  summary: string;
  date_published: string;
  date_modified: string;
  authors: Array<{ name: string }>;
  tags: string[];
  language: string;
  image?: string;
  attachments: Array<{ url: string; mime_type: string; _babelwire?: { caption: string } }>;
  _babelwire: {
    rights?: unknown;
    originalUrl: string | null;
    originalLanguage: string;
    source: string;
    reviewed: boolean;
    alternates: Array<{ lang: string; url: string; type?: string }>;
  };
}

interface JsonFeed {
  version: string;
  title: string;
  home_page_url: string;
  feed_url: string;
  description: string;
  language: string;
  items: JsonFeedItem[];
}

describe("renderJsonFeed", () => {
  let validate: ValidateFunction;
  beforeAll(() => {
    if (HAVE_SCHEMA) validate = jsonFeedSchema();
  });
  const json = renderJsonFeed(feedDocument([feedItem(), evilItem, bareItem], "es", "json"));
  const feed = JSON.parse(json) as JsonFeed;

  it.runIf(HAVE_SCHEMA)("validates against the JSON Feed 1.1 schema with hostile strings in every field", () => {
    expect(validate(feed), JSON.stringify(validate.errors)).toBe(true);
    expect(validate(JSON.parse(renderJsonFeed(feedDocument([]))))).toBe(true);
    const scripted = renderJsonFeed(feedDocument([feedItem({ link: "javascript:alert(1)" })]));
    expect(validate(JSON.parse(scripted))).toBe(true);
  });

  it.runIf(HAVE_SCHEMA)("is checked by a schema that refuses a body-less item and a malformed URL", () => {
    const broken = structuredClone(feed) as unknown as { items: Array<Record<string, unknown>> };
    delete broken.items[0]?.content_html;
    expect(validate(broken)).toBe(false);
    expect(validate({ ...feed, items: [{ ...feed.items[0], url: "not a uri" }] })).toBe(false);
  });

  it("round-trips ids, titles, summaries and full HTML bodies exactly, controls and all", () => {
    expect(feed.items.map((item) => item.id)).toEqual([
      "urn:babelwire:7f0c6c9e-4f36-4b8e-9d2c-5b0f8f0e2a11",
      "urn:babelwire:evil-1 <&>",
      "urn:babelwire:third",
    ]);
    expect(feed.items[1]?.title).toBe(HOSTILE);
    expect(feed.items[1]?.summary).toBe(`${HOSTILE}\nsecond line`);
    expect(feed.items[1]?.content_html).toBe(`<p>${HOSTILE}</p>\n${attributionHtml("es", evilItem)}`);
    expect(feed.items[0]?.content_html).toMatch(/Fuente: Ukrinform\. .*Traducción automática\.<\/p>$/);
    expect(feed.items[1]?.content_html).toMatch(/Original \(ucraniano\): .*Traducido y revisado por un editor\.<\/p>$/);
  });

  it("cannot close a <script> element or an HTML comment that inlines it", () => {
    for (const breaker of ["<", ">", "&", "\u2028", "\u2029"]) expect(json).not.toContain(breaker);
    expect(json).toContain("\\u003c/script\\u003e");
  });

  it("describes the feed: version, localized title and description, language, home and feed URLs", () => {
    expect(feed).toMatchObject({
      version: "https://jsonfeed.org/version/1.1",
      title: "Babelwire — noticias en español",
      description: "Noticias de agencia traducidas al español por Babelwire.",
      language: "es",
      home_page_url: "https://babelwire.example/",
      feed_url: "https://babelwire.example/v1/feeds/es.json?token=a&b",
    });
    const catalan = JSON.parse(renderJsonFeed(feedDocument([feedItem({ reviewed: true })], "ca"))) as JsonFeed;
    expect(catalan.title).toBe("Babelwire — notícies en català");
    expect(catalan.items[0]?.content_html).toMatch(/Traduït i revisat per un editor\.<\/p>$/);
  });

  it("dates, authors (the agency when none), tags, language, main image and every web attachment", () => {
    expect(feed.items[0]).toMatchObject({
      url: "https://www.ukrinform.net/rubric-polytics/3925071.html",
      date_published: "2024-11-07T12:21:00.000Z",
      date_modified: "2024-11-07T12:30:00.000Z",
      authors: [{ name: "Ukrinform" }],
      tags: ["Política"],
      language: "es",
      image: "https://static.ukrinform.com/photos/rutte.jpg",
      attachments: [
        {
          url: "https://static.ukrinform.com/photos/rutte.jpg",
          mime_type: "image/jpeg",
          _babelwire: { caption: "Mark Rutte" },
        },
      ],
    });
    expect(feed.items[1]?.authors).toEqual([{ name: HOSTILE }, { name: "Second Author" }]);
    expect(feed.items[2]?.authors).toEqual([{ name: "Ukrinform" }]);
    // The first image, not the video that comes before it; the javascript: "image" is no attachment.
    expect(feed.items[1]?.image).toBe("https://x.example/a.jpg?a=1&b=%222%22");
    expect(feed.items[1]?.attachments.map((a) => [a.url, a.mime_type])).toEqual([
      ["https://x.example/clip.mp4", "video/mp4"],
      ["https://x.example/a.jpg?a=1&b=%222%22", "image/jpeg"],
    ]);
    expect(feed.items[2]).not.toHaveProperty("image");
    expect(feed.items[2]?.attachments).toEqual([]);
  });

  it("percent-encodes a hostile item URL and leaves out one that is not http(s)", () => {
    expect(feed.items[1]?.url).toBe("https://babelwire.example/a?q=%22x%22&r=%3Cy%3E");
    const scripted = JSON.parse(renderJsonFeed(feedDocument([feedItem({ link: "javascript:alert(1)" })]))) as JsonFeed;
    expect(scripted.items[0]).not.toHaveProperty("url");
  });

  it("carries attribution and the other language versions in the _babelwire extension", () => {
    expect(feed.items[0]?._babelwire).toEqual({
      originalUrl: "https://www.ukrinform.net/rubric-polytics/3925071.html",
      originalLanguage: "en",
      source: "Ukrinform",
      reviewed: false,
      alternates: feedItem().alternates,
      rights: {
        holder: "Ukrinform",
        notice: "© 2024 Ukrinform",
        terms: "Licencia de republicación para los socios de Babelwire; cite a Ukrinform y mantenga la atribución.",
        url: null,
      },
    });
    expect(feed.items[1]?._babelwire).toMatchObject({ source: HOSTILE, reviewed: true, originalLanguage: "uk" });
    expect(feed.items[2]?._babelwire).toMatchObject({ originalUrl: null, alternates: [] });
    const own = feedItem({ alternates: [{ lang: "es", url: "https://babelwire.example/v1/articles/0a1b?lang=es" }] });
    const ownFeed = JSON.parse(renderJsonFeed(feedDocument([own]))) as JsonFeed;
    expect(ownFeed.items[0]?._babelwire.alternates).toEqual([]);
  });

  it("keeps an item's id when its title, link and body change", () => {
    const changed = feedItem({ title: "Otro título", link: "https://babelwire.example/b", contentHtml: "<p>v2</p>" });
    const after = JSON.parse(renderJsonFeed(feedDocument([changed]))) as JsonFeed;
    expect(after.items[0]?.id).toBe(feed.items[0]?.id);
    expect(after.items[0]?.title).toBe("Otro título");
  });
});
