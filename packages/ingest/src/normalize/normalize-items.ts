import { createHash } from "node:crypto";
import type { NormalizedArticle } from "@babelwire/core";
import { normalizeLanguageTag } from "@babelwire/core";
import { htmlToLine, htmlToText, type SanitizedBody, sanitizeBody } from "@babelwire/html";
import type { ParsedFeed, ParsedItem } from "../parse/parsed-feed.ts";
import { absoluteHttpUrl, canonicalOf } from "./canonical-url.ts";
import { chooseLanguages } from "./choose-language.ts";
import { collectMedia } from "./collect-media.ts";
import { parseFeedDate } from "./parse-date.ts";
import { truncateAtWord } from "./summary.ts";

export interface NormalizeContext {
  /** Where the feed was finally read from; the last resort for resolving relative links. */
  feedUrl: string;
  feed: ParsedFeed;
  /** The source's configured language, used when neither item nor feed states one. */
  fallbackLanguage?: string | null;
  /** Stands in for missing or unreadable dates. */
  now: Date;
  /** Bodies already sanitized elsewhere (large ones, in a worker thread), by item. */
  bodies?: ReadonlyMap<ParsedItem, SanitizedBody>;
}

const SUMMARY_LENGTH = 600;
/** As an editor's PATCH allows: a 1 MB title would become a translation of a million characters. */
const TITLE_LENGTH = 1000;

/** An article before its language is chosen: that needs every item of the feed. */
type Draft = Omit<NormalizedArticle, "language"> & { declaredLanguage: string | null };

/** Turns parsed items into articles: absolute canonical URLs, sanitized bodies, UTC dates. */
export function normalizeItems(context: NormalizeContext): NormalizedArticle[] {
  const feedBase = feedBaseOf(context.feed, context.feedUrl);
  const feedLanguage = languageTag(context.feed.language) ?? languageTag(context.fallbackLanguage ?? null);
  const drafts = context.feed.items.map((item) => normalizeItem(item, feedBase, context));
  const languages = chooseLanguages(
    drafts.map((draft) => ({ declared: draft.declaredLanguage, title: draft.title, text: draft.contentText })),
    feedLanguage,
  );
  return drafts.map(({ declaredLanguage: _, ...draft }, index) => ({ ...draft, language: languages[index] ?? "und" }));
}

/** The base of a feed's links: its own link, else where it was read from. */
export function feedBaseOf(feed: ParsedFeed, feedUrl: string): string | null {
  const declaredBase = feed.baseUrl ?? null;
  return absoluteHttpUrl(feed.link, [declaredBase, feedUrl])?.href ?? httpOrNull(declaredBase ?? feedUrl);
}

/** An item's absolute link and the base its body's relative URLs resolve against. */
export function itemBases(item: ParsedItem, feedBase: string | null): { link: URL | null; baseUrl: string | null } {
  // xml:base, where a feed declares it, is the base for the item's link and body; else the
  // body's relative URLs resolve against the item's own page, as a browser showing it would.
  const linkBase = item.baseUrl ?? feedBase;
  const link = absoluteHttpUrl(item.link, [linkBase]);
  return { link, baseUrl: item.contentBaseUrl ?? link?.href ?? linkBase };
}

/** The HTML an item's body is made of: its full content, else its description. */
export function itemBodyHtml(item: ParsedItem): string {
  return item.contentHtml ?? item.descriptionHtml ?? "";
}

function normalizeItem(item: ParsedItem, feedBase: string | null, context: NormalizeContext): Draft {
  const now = context.now;
  const { link, baseUrl } = itemBases(item, feedBase);
  const url = link === null ? null : canonicalOf(link);
  const title = item.title === null ? "" : truncateAtWord(htmlToLine(item.title), TITLE_LENGTH);
  const body = context.bodies?.get(item) ?? sanitizeBody(itemBodyHtml(item), baseUrl);
  const { html: contentHtml, text: contentText } = body;
  const contentHash = contentHashOf(title, contentHtml);
  const publishedAt = parseFeedDate(item.published) ?? parseFeedDate(item.updated) ?? now.toISOString();
  return {
    guid: item.id ?? url ?? contentHash,
    url,
    title,
    summary: summaryOf(item, contentText),
    contentHtml,
    contentText,
    declaredLanguage: languageTag(item.language),
    publishedAt,
    updatedAt: parseFeedDate(item.updated) ?? publishedAt,
    authors: distinct(item.authors),
    categories: distinct(item.categories),
    media: collectMedia(item.media, body.firstImage, baseUrl),
    contentHash,
  };
}

/** sha256 of "title\nbody", fed in pieces: joining them first would copy the whole body again. */
function contentHashOf(title: string, html: string): string {
  return createHash("sha256").update(title).update("\n").update(html).digest("hex");
}

function summaryOf(item: ParsedItem, contentText: string): string {
  // Without a full body the description *is* the body, already turned into text above.
  const text =
    item.contentHtml !== null && item.descriptionHtml !== null ? htmlToText(item.descriptionHtml) : contentText;
  // Only the head can end up in the summary; flattening the rest would be wasted work.
  return truncateAtWord(
    text
      .slice(0, SUMMARY_LENGTH * 2)
      .replace(/\s+/g, " ")
      .trim(),
    SUMMARY_LENGTH,
  );
}

function languageTag(value: string | null): string | null {
  return value === null ? null : (normalizeLanguageTag(value) ?? null);
}

function distinct(values: string[]): string[] {
  const seen = new Set<string>();
  const result: string[] = [];
  for (const value of values) {
    const trimmed = value.replace(/\s+/g, " ").trim();
    const key = trimmed.toLowerCase();
    if (trimmed === "" || seen.has(key)) continue;
    seen.add(key);
    result.push(trimmed);
  }
  return result;
}

function httpOrNull(value: string): string | null {
  return /^https?:/i.test(value) ? value : null;
}
