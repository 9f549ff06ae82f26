import { readFileSync } from "node:fs";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import formats from "ajv-formats";
import { beforeAll, describe, expect, it } from "vitest";
import { attributionText } from "../attribution.ts";
import { evilItem, feedItem, HOSTILE } from "../testing/feed-fixtures.ts";
import { itemUri, type NinjsSource, toNinjs } from "./render-ninjs.ts";

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`testdata/${name}`, import.meta.url), "utf8"));

/** IPTC's ninjs 2.2 schema (testdata/README.md says where it comes from): draft 2020-12, formats checked. */
function ninjsSchema(): ValidateFunction {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  // ajv-formats is CommonJS: its plugin is the module's `default` property.
  formats.default(ajv);
  // `places[].geojson` refers to the GeoJSON schema on the web; Babelwire sends no places, so an
  // any-object stand-in lets the schema compile without the network.
  ajv.addSchema({ $id: "https://geojson.org/schema/GeoJSON.json", type: "object" });
  return ajv.compile(fixture("ninjs-schema_2.2.json"));
}

const API = "https://babelwire.example/v1/articles/0a1b";

function source(overrides: Partial<NinjsSource> = {}): NinjsSource {
  return {
    ...feedItem(),
    lang: "es",
    version: 5,
    firstPublishedAt: new Date("2024-11-07T12:25:00Z"),
    withdrawn: false,
    articleId: "0a1b2c3d-0000-4000-8000-000000000001",
    versions: [
      { lang: "es", translationId: "7f0c6c9e-4f36-4b8e-9d2c-5b0f8f0e2a11", href: `${API}?lang=es` },
      { lang: "ca", translationId: "5e0c6c9e-4f36-4b8e-9d2c-5b0f8f0e2a12", href: `${API}?lang=ca` },
    ],
    ...overrides,
  };
}

describe("toNinjs", () => {
  let validate: ValidateFunction;
  beforeAll(() => {
    validate = ninjsSchema();
  });
  const valid = (item: unknown) => {
    expect(validate(item), JSON.stringify(validate.errors, null, 1)).toBe(true);
  };

  it("is checked by a schema that takes IPTC's own example and refuses what ninjs 2.2 forbids", () => {
    valid(fixture("005_complex_text_article.json"));
    const item = toNinjs(source());
    expect(validate({ ...item, _babelwire: {} })).toBe(false);
    expect(validate({ ...item, pubstatus: "withdrawn" })).toBe(false);
    expect(validate({ ...item, associations: [{ name: "x", uri: "not a uri" }] })).toBe(false);
    // ninjs 1.x wrote renditions as an object; 2.x wants an array.
    expect(validate({ ...item, associations: [{ name: "x", uri: "urn:x", renditions: { original: {} } }] })).toBe(
      false,
    );
  });

  it("renders a usable item with image, summary, categories and authors as valid ninjs 2.2", () => {
    const item = toNinjs(source());
    valid(item);
    expect(item).toMatchObject({
      uri: "urn:babelwire:7f0c6c9e-4f36-4b8e-9d2c-5b0f8f0e2a11",
      type: "text",
      representationtype: "full",
      version: "5",
      firstcreated: "2024-11-07T12:25:00.000Z",
      versioncreated: "2024-11-07T12:30:00.000Z",
      contentcreated: "2024-11-07T12:21:00.000Z",
      pubstatus: "usable",
      language: "es",
      headlines: [{ role: "main", value: "Rusia envía tecnología militar a Corea del Norte" }],
      subjects: [{ name: "Política" }],
      by: "Ukrinform",
      copyrightholder: "Ukrinform",
      infosources: [
        { name: "Ukrinform", role: "originator" },
        { name: "Babelwire", role: "translator:machine" },
      ],
    });
    expect(item.descriptions).toEqual([
      { role: "summary", contenttype: "text/plain", value: "Rusia proporciona a Corea del Norte tecnología avanzada." },
      { role: "attribution", contenttype: "text/plain", value: attributionText("es", source()) },
    ]);
    expect(item.bodies?.[0]?.value).toMatch(
      /^<p>El secretario .*<\/p>\n<p class="babelwire-attribution">.*Traducción automática\.<\/p>$/,
    );
    expect(item.associations?.find((a) => a.name === "featureimage")).toEqual({
      name: "featureimage",
      uri: "https://static.ukrinform.com/photos/rutte.jpg",
      type: "picture",
      descriptions: [{ role: "caption", contenttype: "text/plain", value: "Mark Rutte" }],
      renditions: [
        { name: "original", href: "https://static.ukrinform.com/photos/rutte.jpg", contenttype: "image/jpeg" },
      ],
    });
  });

  it("links the original and every other language version, never the item's own language", () => {
    const item = toNinjs(source());
    expect(item.associations?.filter((a) => a.type === "text")).toEqual([
      {
        name: "original",
        uri: "https://www.ukrinform.net/rubric-polytics/3925071.html",
        type: "text",
        language: "en",
        representationtype: "partial",
        renditions: [
          { name: "web", href: "https://www.ukrinform.net/rubric-polytics/3925071.html", contenttype: "text/html" },
        ],
      },
      {
        name: "translation:ca",
        uri: "urn:babelwire:5e0c6c9e-4f36-4b8e-9d2c-5b0f8f0e2a12",
        type: "text",
        language: "ca",
        representationtype: "partial",
        renditions: [{ name: "ninjs", href: `${API}?lang=ca`, contenttype: "application/json" }],
      },
    ]);
    expect(item.altids).toEqual([
      { role: "babelwire:article", value: "0a1b2c3d-0000-4000-8000-000000000001" },
      { role: "babelwire:original-url", value: "https://www.ukrinform.net/rubric-polytics/3925071.html" },
    ]);
  });

  it("cancels a withdrawn item and leaves its text, summary and image out", () => {
    const item = toNinjs(source({ withdrawn: true, version: 6 }));
    valid(item);
    expect(item).toMatchObject({ pubstatus: "canceled", representationtype: "partial", version: "6" });
    expect(item.bodies).toBeUndefined();
    expect(item.descriptions).toBeUndefined();
    expect(item.associations?.map((a) => a.name)).toEqual(["original", "translation:ca"]);
  });

  it("stays valid with hostile strings everywhere, keeping text exactly and dropping links that are not http(s)", () => {
    const item = toNinjs({
      ...source({ ...evilItem, lang: "uk" }),
      originalUrl: 'https://www.ukrinform.net/a?b="c"&d=]]>',
      versions: [
        { lang: "ca", translationId: 'e"vil <&>', href: 'https://babelwire.example/v1/articles/e"vil?lang=ca&x=<y>' },
        { lang: "de", translationId: "d", href: "javascript:alert(1)" },
      ],
    });
    valid(item);
    // JSON carries any string; what matters is that nothing was lost or changed on the way.
    expect(item.headlines[0]?.value).toBe(HOSTILE);
    expect(item.descriptions?.[0]?.value).toBe(`${HOSTILE}\nsecond line`);
    expect(item.subjects).toEqual([{ name: HOSTILE }]);
    expect(item.copyrightholder).toBe(HOSTILE);
    expect(item.uri).toBe(itemUri("evil-1 <&>"));
    expect(item.uri).toBe("urn:babelwire:evil-1%20%3C%26%3E");
    expect(item.infosources[1]?.role).toBe("translator:reviewed");
    const names = item.associations?.map((a) => a.name);
    expect(names).toEqual(["original", "translation:ca", "translation:de", "featureimage"]);
    const [original, ca, de, image] = item.associations ?? [];
    expect(original?.uri).toBe("https://www.ukrinform.net/a?b=%22c%22&d=%5D%5D%3E");
    expect(ca?.renditions?.[0]?.href).toBe("https://babelwire.example/v1/articles/e%22vil?lang=ca&x=%3Cy%3E");
    expect(de?.renditions).toBeUndefined();
    // The video is no picture and javascript: is no image URL: the JPEG after them is the lead image.
    expect(image?.uri).toBe("https://x.example/a.jpg?a=1&b=%222%22");
    expect(image?.descriptions?.[0]?.value).toBe(HOSTILE);
  });

  it("leaves out what an item does not have instead of sending empty values", () => {
    const item = toNinjs(
      source({ summary: "", categories: [], authors: [], media: [], originalUrl: null, versions: [] }),
    );
    valid(item);
    expect(item).not.toHaveProperty("subjects");
    expect(item).not.toHaveProperty("by");
    expect(item).not.toHaveProperty("associations");
    expect(item.descriptions?.map((d) => d.role)).toEqual(["attribution"]);
    expect(item.altids).toEqual([{ role: "babelwire:article", value: "0a1b2c3d-0000-4000-8000-000000000001" }]);
  });
});
