import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import formats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { renderAtom } from "./atom/render-atom.ts";
import { translator } from "./i18n/translator.ts";
import { renderJsonFeed } from "./json-feed/render-json-feed.ts";
import { toNinjs } from "./ninjs/render-ninjs.ts";
import { rightsLine, rightsOf } from "./rights.ts";
import { renderRss } from "./rss/render-rss.ts";
import { feedDocument, feedItem, HOSTILE, HOSTILE_CLEAN } from "./testing/feed-fixtures.ts";
import { feedparser } from "./testing/feedparser.ts";

const TERMS_URL = "https://www.ukrinform.net/terms";
const TERMS = "Partners may republish with credit; no resale.";
const licensed = feedItem({ rightsUrl: TERMS_URL, usageTerms: TERMS });

function ninjsOf(item = licensed, lang = "es") {
  return toNinjs({
    ...item,
    lang,
    version: 1,
    firstPublishedAt: item.publishedAt,
    withdrawn: false,
    articleId: "0a1b",
    versions: [],
  });
}

describe("rightsOf", () => {
  it("names the agency, dates the notice by the original and uses the source's own terms and link", () => {
    expect(rightsOf(licensed, translator("es"))).toEqual({
      holder: "Ukrinform",
      notice: "© 2024 Ukrinform",
      terms: TERMS,
      url: TERMS_URL,
    });
  });

  it("falls back to the default terms in the feed's language, and drops a link that is not http(s)", () => {
    const item = feedItem({ rightsUrl: "javascript:alert(1)", usageTerms: "   " });
    const spanish = rightsOf(item, translator("es"));
    const ukrainian = rightsOf(item, translator("uk"));
    expect(spanish.url).toBeNull();
    expect(spanish.terms).toContain("Ukrinform");
    expect(spanish.terms).toMatch(/^Licencia de republicación/);
    expect(ukrainian.terms).toMatch(/^Ліцензовано/);
  });
});

describe("rights in every output", () => {
  it("RSS carries them as dc:rights, read back by Python feedparser", () => {
    const parsed = feedparser(renderRss(feedDocument([licensed], "es", "rss")));
    expect(parsed.bozo).toBe(false);
    expect(parsed.entries[0]?.rights).toBe(`© 2024 Ukrinform. ${TERMS} ${TERMS_URL}`);
  });

  it("Atom carries them as the entry's rights, read back by Python feedparser", () => {
    const parsed = feedparser(renderAtom(feedDocument([feedItem()], "de", "atom")));
    expect(parsed.bozo).toBe(false);
    expect(parsed.entries[0]?.rights).toBe(rightsLine(rightsOf(feedItem(), translator("de"))));
    expect(parsed.entries[0]?.rights).toContain("Babelwire-Partner");
  });

  it("JSON Feed carries them in the item's _babelwire extension", () => {
    const feed = JSON.parse(renderJsonFeed(feedDocument([licensed], "es", "json")));
    expect(feed.items[0]._babelwire.rights).toEqual({
      holder: "Ukrinform",
      notice: "© 2024 Ukrinform",
      terms: TERMS,
      url: TERMS_URL,
    });
  });

  it("ninjs carries copyrightnotice, usageterms and rightsinfo.linkedrights, valid against ninjs 2.2", () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    formats.default(ajv);
    ajv.addSchema({ $id: "https://geojson.org/schema/GeoJSON.json", type: "object" });
    const schema = JSON.parse(readFileSync(new URL("ninjs/testdata/ninjs-schema_2.2.json", import.meta.url), "utf8"));
    const validate = ajv.compile(schema);
    const item = ninjsOf();
    expect(validate(item), JSON.stringify(validate.errors)).toBe(true);
    expect(item).toMatchObject({
      copyrightholder: "Ukrinform",
      copyrightnotice: "© 2024 Ukrinform",
      usageterms: TERMS,
      rightsinfo: { linkedrights: TERMS_URL },
    });
    // Without a terms page there is no rightsinfo (ninjs requires a link or an encoded expression in it).
    const plain = ninjsOf(feedItem());
    expect(validate(plain)).toBe(true);
    expect(plain).not.toHaveProperty("rightsinfo");
    expect(plain.usageterms).toMatch(/^Licencia/);
  });

  it("keeps hostile terms inert text in the XML formats", () => {
    const hostile = feedItem({ usageTerms: HOSTILE });
    const rss = feedparser(renderRss(feedDocument([hostile], "es", "rss")));
    const atom = feedparser(renderAtom(feedDocument([hostile], "es", "atom")));
    expect(rss.bozo).toBe(false);
    expect(atom.bozo).toBe(false);
    expect(rss.entries[0]?.rights).toContain(HOSTILE_CLEAN.slice(0, 40));
    expect(atom.entries[0]?.rights).toContain("</content><script>alert(1)</script>");
  });
});
