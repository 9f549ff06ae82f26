import { textToHtml } from "@babelwire/html";
import { FeedError } from "../feed-error.ts";
import { byteLength, type ParsedFeed, type ParsedItem, type ParsedMedia } from "./parsed-feed.ts";

// Feeds written before jsonfeed.org moved to HTTPS still say http:// (the spec's own 1.0 examples did).
const JSON_FEED_VERSION = /^https?:\/\/jsonfeed\.org\/version\//;

/** Parses JSON Feed 1.0 and 1.1 into the same shape as RSS and Atom; other JSON is not a feed. */
export function parseJsonFeed(json: string): ParsedFeed {
  const document = parseJson(json);
  if (!isRecord(document) || !JSON_FEED_VERSION.test(stringField(document, "version") ?? "")) {
    throw new FeedError("FEED_NOT_A_FEED", "The document is JSON but not a JSON Feed.", { permanent: true });
  }
  return {
    title: stringField(document, "title") ?? "",
    link: stringField(document, "home_page_url"),
    language: stringField(document, "language"),
    ttlMinutes: null,
    baseUrl: null,
    items: arrayField(document, "items").filter(isRecord).map(toParsedItem),
  };
}

function parseJson(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch (error) {
    throw new FeedError("FEED_PARSE", "The document looks like JSON but cannot be parsed.", { cause: error });
  }
}

function toParsedItem(item: Record<string, unknown>): ParsedItem {
  const text = stringField(item, "content_text");
  return {
    id: stringField(item, "id") ?? (typeof item.id === "number" ? String(item.id) : null),
    link: stringField(item, "url") ?? stringField(item, "external_url"),
    title: stringField(item, "title"),
    contentHtml: stringField(item, "content_html") ?? (text === null ? null : textToHtml(text)),
    descriptionHtml: stringField(item, "summary"),
    published: stringField(item, "date_published"),
    updated: stringField(item, "date_modified"),
    language: stringField(item, "language"),
    authors: authorsOf(item),
    categories: arrayField(item, "tags").filter((tag): tag is string => typeof tag === "string"),
    media: mediaOf(item),
    baseUrl: null,
    contentBaseUrl: null,
  };
}

function authorsOf(item: Record<string, unknown>): string[] {
  // 1.1 has `authors`; 1.0 had a single `author`.
  const authors = [...arrayField(item, "authors"), item.author];
  return authors
    .map((author) => (isRecord(author) ? stringField(author, "name") : null))
    .filter((name): name is string => name !== null);
}

function mediaOf(item: Record<string, unknown>): ParsedMedia[] {
  const attachments = arrayField(item, "attachments")
    .filter(isRecord)
    .map((attachment) => ({
      url: stringField(attachment, "url"),
      type: stringField(attachment, "mime_type"),
      caption: stringField(attachment, "title"),
      length: byteLength(attachment.size_in_bytes),
    }));
  const images = [stringField(item, "image"), stringField(item, "banner_image")].map((url) => ({
    url,
    type: null,
    caption: null,
    length: null,
  }));
  return [...attachments, ...images].filter((media): media is ParsedMedia => media.url !== null);
}

function stringField(record: Record<string, unknown>, name: string): string | null {
  const value = record[name];
  return typeof value === "string" && value.trim() !== "" ? value.trim() : null;
}

function arrayField(record: Record<string, unknown>, name: string): unknown[] {
  const value = record[name];
  return Array.isArray(value) ? value : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
