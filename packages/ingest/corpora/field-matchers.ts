import { htmlToLine, htmlToText, sanitizeHtml } from "@babelwire/html";
import iconv from "iconv-lite";
import { detectCharset } from "../src/decode/detect-charset.ts";
import { canonicalUrl } from "../src/normalize/canonical-url.ts";
import { parseFeedDate } from "../src/normalize/parse-date.ts";
import type { Match } from "./expectation-values.ts";

/**
 * How each of our fields may differ from feedparser's value. Every policy string returned
 * here names a rule in POLICY.md; anything else that differs is a failure.
 */
const EXACT: Match = { equal: true, policy: null };
const DIFFERENT: Match = { equal: false };

function policy(rule: string): Match {
  return { equal: true, policy: rule };
}

/** Titles: we keep text; feedparser keeps (sanitized) markup for HTML titles. */
export function matchText(expected: unknown, actual: unknown): Match {
  if (expected === actual) return EXACT;
  if (typeof expected !== "string" || typeof actual !== "string") return DIFFERENT;
  if (collapse(expected) === collapse(actual)) return policy("whitespace-collapsed");
  if (expected.includes("\uFFFD") && mojibakeOf(expected).test(collapse(actual))) return policy("peer-decoding-wrong");
  return collapse(htmlToLine(expected)) === collapse(actual) ? policy("titles-plain-text") : DIFFERENT;
}

/** A sanitized body: exact, or what our narrower allowlist makes of feedparser's own output. */
export function matchBody(baseUrl: string | null) {
  return (expected: unknown, actual: unknown): Match => {
    if (expected === actual) return EXACT;
    if (typeof expected !== "string" || typeof actual !== "string") return DIFFERENT;
    if (expected.trim() === actual) return policy("bodies-trimmed");
    if (sanitizeHtml(expected, baseUrl) === actual) return policy("narrower-allowlist");
    return DIFFERENT;
  };
}

/** Our summary is text (feedparser's is HTML), cut at 600 characters. */
export function matchSummaryText(expected: unknown, actual: unknown): Match {
  if (expected === actual) return EXACT;
  if (typeof expected !== "string" || typeof actual !== "string") return DIFFERENT;
  const text = collapse(htmlToText(expected));
  if (text === actual) return policy("summary-plain-text");
  return actual.endsWith("…") && text.startsWith(actual.slice(0, -1).trim()) ? policy("summary-plain-text") : DIFFERENT;
}

export function matchUrl(baseUrl: string | null) {
  return (expected: unknown, actual: unknown): Match => {
    if (expected === actual) return EXACT;
    if (typeof expected !== "string") return DIFFERENT;
    if (canonicalUrl(expected, [baseUrl]) === actual) return policy("canonical-urls");
    // A peer that leaves a link relative: ours is the same link made absolute against the feed.
    if (
      typeof actual === "string" &&
      !/^[a-z][a-z0-9+.-]*:/i.test(expected) &&
      canonicalUrl(expected, [actual]) === actual
    ) {
      return policy("links-absolute");
    }
    return DIFFERENT;
  };
}

/** feedparser's `*_parsed` is a UTC time.struct_time: (year, month, day, hour, minute, second, …). */
export function matchDateTuple(expected: unknown, actual: unknown): Match {
  if (!Array.isArray(expected) || !Array.isArray(actual)) return DIFFERENT;
  const [year, month, day, hour, minute, second] = expected.map(Number);
  if (year === undefined || month === undefined || day === undefined) return DIFFERENT;
  const iso = new Date(Date.UTC(year, month - 1, day, hour ?? 0, minute ?? 0, second ?? 0)).toISOString();
  return actual.includes(iso) ? EXACT : DIFFERENT;
}

/** A raw date string: ours is the parsed UTC instant. */
export function matchDateString(expected: unknown, actual: unknown): Match {
  if (typeof expected !== "string" || !Array.isArray(actual)) return DIFFERENT;
  const parsed = parseFeedDate(expected);
  return parsed !== null && actual.includes(parsed) ? policy("dates-as-utc-iso") : DIFFERENT;
}

/** Authors: we keep the name where feedparser keeps "Name (e-mail)" or "e-mail (Name)". */
export function matchAuthor(expected: unknown, actual: unknown): Match {
  if (expected === actual) return EXACT;
  if (typeof expected !== "string" || typeof actual !== "string") return DIFFERENT;
  return expected.includes(`(${actual})`) || expected.startsWith(`${actual} (`) ? policy("author-names") : DIFFERENT;
}

/** An id is opaque to us: kept as the feed wrote it, where feedparser resolves a relative one. */
export function matchGuid(baseUrl: string | null) {
  return (expected: unknown, actual: unknown): Match => {
    if (expected === actual) return EXACT;
    if (typeof expected !== "string" || typeof actual !== "string") return DIFFERENT;
    try {
      return new URL(actual, baseUrl ?? undefined).href === expected ? policy("guids-verbatim") : DIFFERENT;
    } catch {
      return DIFFERENT;
    }
  };
}

/**
 * feedparser names the charset it decoded with; we report only the text. Another name counts
 * when decoding the same bytes with feedparser's charset gives exactly our text.
 */
export function matchCharset(bytes: Buffer, contentType: string | null) {
  return (expected: unknown): Match => {
    if (typeof expected !== "string") return DIFFERENT;
    const ours = detectCharset(bytes, contentType);
    if (ours.toLowerCase() === expected.toLowerCase()) return EXACT;
    if (!iconv.encodingExists(expected)) return DIFFERENT;
    const theirs = iconv.decode(bytes, expected, { stripBOM: true });
    return theirs === iconv.decode(bytes, ours, { stripBOM: true }) ? policy("charset-by-text") : DIFFERENT;
  };
}

/** The peer's text with U+FFFD where it failed to decode: each stands for one or two non-ASCII characters of ours. */
function mojibakeOf(expected: string): RegExp {
  const pattern = collapse(expected)
    .split("\uFFFD")
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    // collapse() turned the non-breaking spaces the peer could not decode into plain ones.
    .join("(?:[^\\x00-\\x7F]{1,2}| )");
  return new RegExp(`^${pattern}$`);
}

function collapse(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
