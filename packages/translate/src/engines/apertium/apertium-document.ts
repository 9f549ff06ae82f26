import { CodedError } from "@babelwire/core";
import { escapeHtml } from "@babelwire/html";
import type { SegmentFormat } from "../engine.ts";

/*
 * Segments travel through Apertium as one html document, each wrapped in a marked <div>.
 * Apertium's html deformatter keeps tags verbatim and ends a sentence at every <div>, so
 * no word moves from one segment into its neighbour; plain text is escaped into html and
 * decoded on the way back, so `<` or `&` in a text segment cannot be taken for markup.
 */

const MARKER = /<div data-bw-seg="(\d+)">/g;
const CLOSING = /<\/div>\s*$/;

export function wrapSegment(index: number, segment: string, format: SegmentFormat): string {
  const body = format === "text" ? escapeHtml(segment) : segment;
  return `<div data-bw-seg="${index}">${body}</div>`;
}

/**
 * Groups wrapped segments into documents of at most `maxChars` each, in order; a segment
 * longer than that travels alone.
 */
export function packDocuments(wrapped: string[], maxChars: number): string[] {
  const documents: string[] = [];
  let current = "";
  for (const piece of wrapped) {
    if (current && current.length + 1 + piece.length > maxChars) {
      documents.push(current);
      current = "";
    }
    current = current ? `${current}\n${piece}` : piece;
  }
  if (current) documents.push(current);
  return documents;
}

/** The inner html of each marked <div>, in order; throws when a marker is lost, doubled or moved. */
export function unwrapSegments(output: string, count: number): string[] {
  const markers = [...output.matchAll(MARKER)];
  const found = markers.map((marker) => Number(marker[1]));
  if (found.length !== count || found.some((index, position) => index !== position)) {
    throw new CodedError(
      "ENGINE_BAD_OUTPUT",
      `Apertium returned ${found.length} segment markers for ${count} segments; the output cannot be split back.`,
    );
  }
  return markers.map((marker, position) => {
    const start = marker.index + marker[0].length;
    const end = markers[position + 1]?.index ?? output.length;
    return output.slice(start, end).replace(CLOSING, "");
  });
}

/** Gives the translation the source's leading and trailing whitespace, which Apertium may shift. */
export function withWhitespaceOf(source: string, translated: string): string {
  const leading = /^\s*/.exec(source)?.[0] ?? "";
  const trailing = /\s*$/.exec(source)?.[0] ?? "";
  return `${leading}${translated.trim()}${trailing}`;
}
