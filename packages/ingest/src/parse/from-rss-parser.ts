import Parser from "rss-parser";
import type { ParsedFeed, ParsedItem, ParsedMedia } from "./parsed-feed.ts";
import { attributesOf, childOf, isRecord, listOf, stringOf, textOf, type XmlValue } from "./xml-values.ts";

type RawRecord = Record<string, unknown>;

// rss-parser keeps only the first of repeated elements unless told otherwise; these keep
// every author, category and medium, and the raw attributes for xml:lang.
const ITEM_FIELDS: Array<[string, string] | [string, string, { keepArray: boolean }]> = [
  ["description", "rawDescription"],
  ["enclosure", "enclosures", { keepArray: true }],
  ["media:content", "mediaContent", { keepArray: true }],
  ["media:thumbnail", "mediaThumbnail", { keepArray: true }],
  ["media:group", "mediaGroup", { keepArray: true }],
  ["media:description", "mediaDescription"],
  ["dc:creator", "creators", { keepArray: true }],
  ["author", "authorList", { keepArray: true }],
  ["category", "categoryList", { keepArray: true }],
  ["dc:subject", "subjects", { keepArray: true }],
  ["link", "links", { keepArray: true }],
  ["guid", "guidElements", { keepArray: true }],
  ["published", "published"],
  ["updated", "updated"],
  ["atom:updated", "atomUpdated"],
  ["dcterms:modified", "modified"],
  ["$", "attributes", { keepArray: true }],
];

/** Parses RSS 0.9x/1.0/2.0 and Atom 1.0 with rss-parser and maps its output to a ParsedFeed. */
export async function parseWithRssParser(xml: string): Promise<ParsedFeed> {
  // A parser per document: xml2js parsers carry state between calls and are not reentrant.
  const parser = new Parser<RawRecord, RawRecord>({
    defaultRSS: 2,
    customFields: { feed: ["dc:language"], item: ITEM_FIELDS },
  });
  const output: RawRecord = await parser.parseString(xml);
  return {
    title: textOf(output.title) ?? "",
    link: textOf(output.link),
    language: textOf(output.language) ?? textOf(output["dc:language"]) ?? rootXmlLang(xml),
    ttlMinutes: positiveInteger(textOf(output.ttl)),
    items: listOf(output.items).filter(isRecord).map(toParsedItem),
  };
}

function toParsedItem(raw: RawRecord): ParsedItem {
  // rss-parser puts an RSS description in `content`, but an Atom body there too.
  const isRssDescription = raw.rawDescription !== undefined;
  return {
    id: textOf(raw.guid) ?? textOf(raw.id) ?? textOf(raw["rdf:about"]),
    link: textOf(raw.link) ?? permalinkGuid(listOf(raw.guidElements)[0]),
    title: textOf(raw.title),
    contentHtml: stringOf(raw["content:encoded"]) ?? (isRssDescription ? null : stringOf(raw.content)),
    descriptionHtml: isRssDescription ? stringOf(raw.content) : stringOf(raw.summary),
    published: textOf(raw.published) ?? textOf(raw.pubDate) ?? textOf(raw.date),
    updated: textOf(raw.updated) ?? textOf(raw.atomUpdated) ?? textOf(raw.modified),
    language: textOf(raw.language) ?? entryXmlLang(raw),
    authors: authorsOf(raw),
    categories: categoriesOf(raw),
    media: mediaOf(raw),
  };
}

/** An Atom entry may state its own language on its element; the "$" field holds its attributes. */
function entryXmlLang(raw: RawRecord): string | null {
  const attributes = raw.attributes;
  const lang = isRecord(attributes) ? attributes["xml:lang"] : undefined;
  return typeof lang === "string" && lang.trim() !== "" ? lang.trim() : null;
}

/**
 * RSS 2.0: a guid is the item's permalink unless it says isPermaLink="false"; feeds that
 * only give a guid (Scripting News and other UserLand-style feeds) would otherwise have no link.
 */
function permalinkGuid(guid: XmlValue): string | null {
  const text = textOf(guid);
  if (text === null || attributesOf(guid).isPermaLink?.trim().toLowerCase() === "false") return null;
  return /^https?:\/\//i.test(text) ? text : null;
}

function authorsOf(raw: RawRecord): string[] {
  const creators = listOf(raw.creators).map(personName);
  const authors = listOf(raw.authorList).map((author) => textOf(childOf(author, "name")) ?? personName(author));
  return [...creators, ...authors].filter((name): name is string => name !== null);
}

const EMAIL = /^[^\s@()<>]+@[^\s@()<>]+$/;

/**
 * RSS <author> and dc:creator hold a name, an e-mail address or both: "jo@x.org (Jo Doe)",
 * "Jo Doe (jo@x.org)", "Jo Doe <jo@x.org>". The name is kept, the address only when alone.
 */
function personName(person: XmlValue): string | null {
  const text = textOf(person);
  if (text === null) return null;
  const parenthesized = text.match(/^(.*?)\s*\(([^)]+)\)\s*$/);
  if (parenthesized) {
    const [, outside = "", inside = ""] = parenthesized;
    if (EMAIL.test(outside.trim())) return inside.trim();
    if (EMAIL.test(inside.trim()) && outside.trim() !== "") return outside.trim();
    return text;
  }
  return text.match(/^(.+?)\s*<[^>]*@[^>]*>\s*$/)?.[1] ?? text;
}

function categoriesOf(raw: RawRecord): string[] {
  return [...listOf(raw.categoryList), ...listOf(raw.subjects)]
    .map((category) => {
      const attributes = attributesOf(category);
      return textOf(category) ?? attributes.label ?? attributes.term ?? null;
    })
    .filter((name): name is string => name !== null);
}

function mediaOf(raw: RawRecord): ParsedMedia[] {
  const itemCaption = textOf(raw.mediaDescription);
  const groups = listOf(raw.mediaGroup);
  const contents = [...listOf(raw.mediaContent), ...groups.flatMap((group) => listOf(childOf(group, "media:content")))];
  const thumbnails = [
    ...listOf(raw.mediaThumbnail),
    ...groups.flatMap((group) => listOf(childOf(group, "media:thumbnail"))),
  ];
  const enclosureLinks = listOf(raw.links).filter((link) => attributesOf(link).rel === "enclosure");
  return [
    ...listOf(raw.enclosures).map((enclosure) => medium(attributesOf(enclosure).url, enclosure, null)),
    ...enclosureLinks.map((link) => medium(attributesOf(link).href, link, attributesOf(link).title ?? null)),
    ...contents.map((content) => medium(attributesOf(content).url, content, captionOf(content) ?? itemCaption)),
    ...thumbnails.map((thumbnail) => medium(attributesOf(thumbnail).url, null, null)),
  ].filter((media): media is ParsedMedia => media !== null);
}

function medium(url: string | undefined, typed: XmlValue, caption: string | null): ParsedMedia | null {
  const trimmed = url?.trim();
  if (!trimmed) return null;
  const type = attributesOf(typed).type?.trim();
  return { url: trimmed, type: type ? type : null, caption };
}

function captionOf(content: XmlValue): string | null {
  return textOf(childOf(content, "media:description")) ?? textOf(childOf(content, "media:title"));
}

/** Atom puts the feed's language on the root element, which rss-parser does not expose. */
function rootXmlLang(xml: string): string | null {
  return xml.slice(0, 4096).match(/<(?:feed|rss|rdf:RDF)\b[^>]*?\sxml:lang\s*=\s*["']([^"']+)["']/)?.[1] ?? null;
}

function positiveInteger(text: string | null): number | null {
  const value = text === null ? Number.NaN : Number.parseInt(text, 10);
  return Number.isFinite(value) && value > 0 ? value : null;
}
