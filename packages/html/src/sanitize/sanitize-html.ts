import { AllowlistWriter, type BodyImage } from "./allowlist-writer.ts";
import { parseBounded } from "./bounded-parse.ts";

export type { BodyImage } from "./allowlist-writer.ts";

/**
 * Allowlist sanitizing of a news body before storage: structure, emphasis, links, images,
 * tables and code survive; scripts, styles, handlers, embeds and dangerous URLs do not.
 * Relative links and images are made absolute against `baseUrl` so the body still works once
 * it is republished somewhere else.
 *
 * The input is tokenized as browsers do (htmlparser2) and written back from the allowed tokens
 * only, every text and attribute escaped: whatever the input's tricks, the output is markup we
 * wrote. One pass, no tree, because it runs on every item of every poll.
 */
/** The longest body sanitized, in characters: a long news story is 50,000; the rest is cut. */
export const MAX_BODY_CHARS = 2 * 1024 * 1024;

export function sanitizeHtml(html: string, baseUrl: string | null): string {
  return sanitizeBody(html, baseUrl).html;
}

export interface SanitizedBody {
  html: string;
  /** The body's plain text, exactly as htmlToText would read it from `html`. */
  text: string;
  /** The first picture `html` shows (its URL absolute), for the item's media. */
  firstImage: BodyImage | null;
}

/**
 * sanitizeHtml and the plain text of its result from the same pass: the text is what every
 * later stage (summary, language, similarity hash) reads, and parsing the body a second time
 * for it cost as much as sanitizing.
 */
export function sanitizeBody(html: string, baseUrl: string | null): SanitizedBody {
  // Past the cap the body is cut: the parser closes whatever is open there, as at any end.
  const bounded = html.length > MAX_BODY_CHARS ? html.slice(0, MAX_BODY_CHARS) : html;
  const writer = new AllowlistWriter(baseUrl);
  // Entities are decoded by the writer rather than the tokenizer: with decoding on, htmlparser2 reads
  // text one character at a time through its state machine; with it off, it jumps to the next
  // "<". Same decoder (the entities package, legacy rules in text, attribute rules in values).
  parseBounded(bounded, writer);
  return { html: writer.output.trim(), text: writer.text.finish(), firstImage: writer.firstImage?.image ?? null };
}
