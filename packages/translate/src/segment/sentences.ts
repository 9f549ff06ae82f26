import { abbreviationRule, boundedSegments } from "@babelwire/core";
import { decodeEntity, ENTITY_REFERENCE, type HtmlToken, tokenizeHtml } from "@babelwire/html";
import type { SegmentFormat } from "../engines/engine.ts";

/** Blocks whose content reads as running sentences; a segment wrapped in one is split inside it. */
const CONTAINERS = new Set([
  "address",
  "blockquote",
  "caption",
  "dd",
  "div",
  "dt",
  "figcaption",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "li",
  "p",
  "td",
  "th",
]);

/** Markup that may run inside a sentence. Any other element (a list, a nested block) keeps the segment whole. */
const INLINE = new Set([
  "a",
  "abbr",
  "b",
  "bdi",
  "bdo",
  "br",
  "cite",
  "code",
  "data",
  "del",
  "dfn",
  "em",
  "i",
  "img",
  "ins",
  "kbd",
  "mark",
  "q",
  "s",
  "samp",
  "small",
  "span",
  "strong",
  "sub",
  "sup",
  "time",
  "u",
  "var",
  "wbr",
]);

export interface SentenceSplit {
  /** The sentences, each a balanced fragment an engine and translation memory take on its own. */
  units: string[];
  /** What stands between each unit and the next (space, a `<br>`), kept as it was. */
  between: string[];
  /** The segment again, with each unit replaced by its translation (same order) and the rest kept as it was. */
  join(translations: readonly string[]): string;
}

/** Splits one segment into sentences, or undefined when it holds one sentence or cannot be split safely. */
export type SentenceSplitter = (segment: string, format: SegmentFormat) => SentenceSplit | undefined;

/**
 * Sentences by ICU's rules for the source language (Intl.Segmenter), with the breaks after
 * abbreviations and initials undone. Markup is never cut: a sentence boundary that falls inside
 * an inline element (`<b>One. Two.</b>`) is not used, so the sentences it separates travel as
 * one unit; a segment holding anything but inline markup (a list, a table) stays whole.
 */
export function createSentenceSplitter(lang: string): SentenceSplitter {
  const segmenter = new Intl.Segmenter(lang, { granularity: "sentence" });
  const continues = abbreviationRule(lang);
  return (segment, format) => {
    const frame = format === "html" ? htmlFrame(segment) : { open: "", tokens: [textToken(segment)], close: "" };
    const scan = frame && scanInline(frame.tokens, format);
    if (!frame || !scan) return undefined;
    const pieces = cutPieces(scan, sentenceSpans(scan.text, segmenter, continues));
    if (pieces.length < 2) return undefined;
    const gaps = pieces.map((piece, index) => scan.html.slice(piece.end, pieces[index + 1]?.start ?? scan.html.length));
    const fixed = [
      frame.open + scan.html.slice(0, pieces[0]?.start),
      ...gaps.slice(0, -1),
      `${gaps.at(-1) ?? ""}${frame.close}`,
    ];
    return {
      units: pieces.map((piece) => scan.html.slice(piece.start, piece.end)),
      between: gaps.slice(0, -1),
      join: (translations) => fixed.map((part, index) => part + (translations[index] ?? "")).join(""),
    };
  };
}

interface Frame {
  /** The container's open tag (and blank text before it), or "" for a segment that is itself inline content. */
  open: string;
  tokens: HtmlToken[];
  close: string;
}

const textToken = (raw: string): HtmlToken => ({ kind: "text", raw });
const isBlank = (token: HtmlToken | undefined) => token?.kind === "text" && !token.raw.trim();

/** The content inside a segment's container element (`<p>…</p>`), or the whole segment when it has none. */
function htmlFrame(segment: string): Frame | undefined {
  const tokens = tokenizeHtml(segment);
  let first = 0;
  let last = tokens.length - 1;
  while (first < last && isBlank(tokens[first])) first++;
  while (last > first && isBlank(tokens[last])) last--;
  const head = tokens[first];
  const tail = tokens[last];
  if (head?.kind === "open" && CONTAINERS.has(head.name) && tail?.kind === "close" && tail.name === head.name) {
    const raw = (list: HtmlToken[]) => list.map((token) => token.raw).join("");
    return {
      open: raw(tokens.slice(0, first + 1)),
      tokens: tokens.slice(first + 1, last),
      close: raw(tokens.slice(last)),
    };
  }
  return { open: "", tokens, close: "" };
}

interface InlineScan {
  /** The content as markup. */
  html: string;
  /** Its readable text: entities decoded, tags dropped, `<br>` a line break. */
  text: string;
  /** For each UTF-16 unit of `text`, where its source starts and ends in `html`. */
  from: number[];
  to: number[];
  /** For each offset of `html` (0…length): whether a cut there leaves no element open and no tag cut. */
  safe: boolean[];
}

/** Reads inline content; undefined when it holds anything but inline elements, or leaves one unclosed. */
function scanInline(tokens: HtmlToken[], format: SegmentFormat): InlineScan | undefined {
  const html = tokens.map((token) => token.raw).join("");
  const scan: InlineScan = { html, text: "", from: [], to: [], safe: new Array<boolean>(html.length + 1).fill(false) };
  const open: string[] = [];
  let offset = 0;
  for (const token of tokens) {
    const end = offset + token.raw.length;
    scan.safe[offset] = open.length === 0;
    if (token.kind === "text" && !token.raw.startsWith("<!--")) {
      for (let at = offset; at <= end; at++) scan.safe[at] = open.length === 0;
      readText(scan, token.raw, offset, format);
    } else if (token.kind === "open") {
      if (!INLINE.has(token.name)) return undefined;
      if (token.name === "br") addText(scan, "\n", offset, end);
      if (!token.selfClosing) open.push(token.name);
    } else if (token.kind === "close") {
      if (!INLINE.has(token.name)) return undefined;
      const depth = open.lastIndexOf(token.name);
      if (depth >= 0) open.splice(depth);
    }
    scan.safe[end] = open.length === 0;
    offset = end;
  }
  return open.length === 0 ? scan : undefined;
}

function readText(scan: InlineScan, raw: string, offset: number, format: SegmentFormat): void {
  if (format === "text") {
    addText(scan, raw, offset, offset + raw.length, true);
    return;
  }
  let last = 0;
  for (const match of raw.matchAll(ENTITY_REFERENCE)) {
    addText(scan, raw.slice(last, match.index), offset + last, offset + match.index, true);
    const start = offset + match.index;
    addText(scan, decodeEntity(match[1] ?? "", match[0]), start, start + match[0].length);
    last = match.index + match[0].length;
  }
  addText(scan, raw.slice(last), offset + last, offset + raw.length, true);
}

/** Appends text that stands for html[start, end): one to one when `verbatim`, else all of it for the whole span. */
function addText(scan: InlineScan, text: string, start: number, end: number, verbatim = false): void {
  for (let index = 0; index < text.length; index++) {
    scan.from.push(verbatim ? start + index : start);
    scan.to.push(verbatim ? start + index + 1 : end);
  }
  scan.text += text;
}

interface Span {
  start: number;
  end: number;
}

/** Sentences of the text, trimmed, as [start, end) offsets into it, with abbreviation breaks undone. */
function sentenceSpans(
  text: string,
  segmenter: Intl.Segmenter,
  continues: (before: string, after: string) => boolean,
): Span[] {
  const spans: Span[] = [];
  // Not segmenter.segment(text): its time is quadratic in the text's length (boundedSegments).
  for (const { index, segment } of boundedSegments(segmenter, text)) {
    const trimmed = segment.trim();
    if (!trimmed) continue;
    const start = index + segment.length - segment.trimStart().length;
    const span = { start, end: start + trimmed.length };
    const previous = spans.at(-1);
    if (previous && continues(text.slice(previous.start, previous.end), trimmed)) previous.end = span.end;
    else spans.push(span);
  }
  return spans;
}

/**
 * The sentences as spans of markup. Each cut goes at a safe offset between two sentences: the
 * earlier one ends at the first (closing its own inline elements), the next starts at the last
 * (taking its opening tags); markup and space between them stay in place, untranslated. Where no
 * offset between two sentences is safe, they are one piece.
 */
function cutPieces(scan: InlineScan, sentences: Span[]): Span[] {
  const pieces: Span[] = [];
  for (const sentence of sentences) {
    const start = scan.from[sentence.start] ?? 0;
    const end = scan.to[sentence.end - 1] ?? scan.html.length;
    const previous = pieces.at(-1);
    if (!previous) {
      pieces.push({ start: lastSafe(scan.safe, 0, start) ?? 0, end });
      continue;
    }
    const cutEnd = firstSafe(scan.safe, previous.end, start);
    const cutStart = lastSafe(scan.safe, previous.end, start);
    if (cutEnd === undefined || cutStart === undefined) {
      previous.end = end;
    } else {
      previous.end = cutEnd;
      pieces.push({ start: cutStart, end });
    }
  }
  const last = pieces.at(-1);
  if (last) last.end = firstSafe(scan.safe, last.end, scan.html.length) ?? scan.html.length;
  return pieces;
}

function firstSafe(safe: boolean[], from: number, to: number): number | undefined {
  for (let at = from; at <= to; at++) if (safe[at]) return at;
  return undefined;
}

function lastSafe(safe: boolean[], from: number, to: number): number | undefined {
  for (let at = to; at >= from; at--) if (safe[at]) return at;
  return undefined;
}
