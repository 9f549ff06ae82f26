import { createHash } from "node:crypto";
import type { NormalizedArticle } from "@babelwire/core";
import { normalizeLanguageTag } from "@babelwire/core";
import type { ParsedFeed, ParsedItem } from "../parse/parsed-feed.ts";
import { sanitizeBody } from "../sanitize/sanitize-html.ts";
import { absoluteHttpUrl, canonicalOf } from "./canonical-url.ts";
import { chooseLanguages } from "./choose-language.ts";
import { collectMedia } from "./collect-media.ts";
import { htmlToLine, htmlToText } from "./html-to-text.ts";
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
}

const SUMMARY_LENGTH = 600;
/** As an editor's PATCH allows: a 1 MB title would become a translation of a million characters. */
const TITLE_LENGTH = 1000;

/** An article before its language is chosen: that needs every item of the feed. */
type Draft = Omit<NormalizedArticle, "language"> & { declaredLanguage: string | null };

/** Turns parsed items into articles: absolute canonical URLs, sanitized bodies, UTC dates. */
export function normalizeItems(context: NormalizeContext): NormalizedArticle[] {
  const declaredBase = context.feed.baseUrl ?? null;
  const feedBase =
    absoluteHttpUrl(context.feed.link, [declaredBase, context.feedUrl])?.href ??
    httpOrNull(declaredBase ?? context.feedUrl);
  const feedLanguage = languageTag(context.feed.language) ?? languageTag(context.fallbackLanguage ?? null);
  const drafts = context.feed.items.map((item) => normalizeItem(item, feedBase, context.now));
  const languages = chooseLanguages(
    drafts.map((draft) => ({ declared: draft.declaredLanguage, title: draft.title, text: draft.contentText })),
    feedLanguage,
  );
  return drafts.map(({ declaredLanguage: _, ...draft }, index) => ({ ...draft, language: languages[index] ?? "und" }));
}

function normalizeItem(item: ParsedItem, feedBase: string | null, now: Date): Draft {
  // xml:base, where a feed declares it, is the base for the item's link and body; else the
  // body's relative URLs resolve against the item's own page, as a browser showing it would.
  const linkBase = item.baseUrl ?? feedBase;
  const link = absoluteHttpUrl(item.link, [linkBase]);
  const baseUrl = item.contentBaseUrl ?? link?.href ?? linkBase;
  const url = link === null ? null : canonicalOf(link);
  const title = item.title === null ? "" : truncateAtWord(htmlToLine(item.title), TITLE_LENGTH);
  const body = sanitizeBody(item.contentHtml ?? item.descriptionHtml ?? "", baseUrl);
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
