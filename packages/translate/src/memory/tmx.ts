import type { MemoryOrigin } from "@babelwire/core";

export interface TmxUnit {
  source: string;
  target: string;
  origin: MemoryOrigin;
  uses: number;
  created_at: Date;
  updated_at: Date;
}

function escapeXml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

/** TMX's date form: 20261128T101500Z. */
function tmxDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

/**
 * A language pair's translation memory as TMX 1.4, for CAT tools: one translation unit per
 * segment, its markup kept as escaped text, whether an editor or an engine wrote it as a
 * `x-origin` property.
 */
export function renderTmx(pair: { from: string; to: string }, units: readonly TmxUnit[]): string {
  const body = units
    .map(
      (unit) =>
        `<tu creationdate="${tmxDate(unit.created_at)}" changedate="${tmxDate(unit.updated_at)}" usagecount="${unit.uses}">` +
        `<prop type="x-origin">${unit.origin}</prop>` +
        `<tuv xml:lang="${escapeXml(pair.from)}"><seg>${escapeXml(unit.source)}</seg></tuv>` +
        `<tuv xml:lang="${escapeXml(pair.to)}"><seg>${escapeXml(unit.target)}</seg></tuv></tu>`,
    )
    .join("\n");
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n' +
    `<header creationtool="Babelwire" creationtoolversion="1" segtype="paragraph" o-tmf="babelwire" adminlang="en" srclang="${escapeXml(pair.from)}" datatype="html"/>\n` +
    `<body>\n${body}\n</body>\n</tmx>\n`
  );
}
