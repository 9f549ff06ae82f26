import type { GlossaryEntry } from "@babelwire/db";

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decodeXml(text: string): string {
  return text
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, "$1")
    .replace(/<[^>]*>/g, "")
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, entity: string) => {
      if (/^#x/i.test(entity)) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
      if (entity.startsWith("#")) return String.fromCodePoint(Number(entity.slice(1)));
      return ENTITIES[entity.toLowerCase()] ?? whole;
    })
    .replace(/\s+/g, " ")
    .trim();
}

/** RFC 4180 rows: quoted fields may hold commas, quotes ("") and line breaks. */
function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") {
      row.push(field);
      field = "";
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += char;
  }
  if (field || row.length > 0) rows.push([...row, field]);
  return rows.filter((cells) => cells.some((cell) => cell.trim()));
}

/**
 * `term,translation[,caseSensitive]` per line; a first line naming the columns is skipped.
 * caseSensitive is true unless it says false, no or 0.
 */
export function parseGlossaryCsv(text: string): GlossaryEntry[] {
  const rows = csvRows(text.replace(/^\uFEFF/, ""));
  const [first] = rows;
  if (first && first[0]?.trim().toLowerCase() === "term") rows.shift();
  return rows.map((cells, index) => {
    const [term = "", translation = "", caseSensitive = ""] = cells.map((cell) => cell.trim());
    if (!term || !translation) throw new Error(`line ${index + 1}: a term and its translation are needed`);
    return { term, translation, caseSensitive: !/^(false|no|0)$/i.test(caseSensitive) };
  });
}

function languageMatches(tag: string, wanted: string): boolean {
  const lower = tag.toLowerCase();
  return lower === wanted || lower.startsWith(`${wanted}-`) || wanted.startsWith(`${lower}-`);
}

/**
 * TBX (TermBase eXchange, ISO 30042; v2 `termEntry/langSet/tig` and v3
 * `conceptEntry/langSec/termSec`): the first term in each language of every concept that has
 * both. An operator's own file, so a tolerant reading is enough.
 */
export function parseGlossaryTbx(text: string, pair: { from: string; to: string }): GlossaryEntry[] {
  const entries: GlossaryEntry[] = [];
  for (const concept of text.matchAll(/<(termEntry|conceptEntry)\b[\s\S]*?<\/\1>/g)) {
    const terms = new Map<string, string>();
    for (const lang of concept[0].matchAll(/<(langSet|langSec)\b[^>]*\bxml:lang="([^"]+)"[^>]*>([\s\S]*?)<\/\1>/g)) {
      const term = /<term\b[^>]*>([\s\S]*?)<\/term>/.exec(lang[3] ?? "")?.[1];
      if (term !== undefined && lang[2] && !terms.has(lang[2])) terms.set(lang[2], decodeXml(term));
    }
    const source = [...terms].find(([tag]) => languageMatches(tag, pair.from))?.[1];
    const target = [...terms].find(([tag]) => languageMatches(tag, pair.to))?.[1];
    if (source && target) entries.push({ term: source, translation: target, caseSensitive: true });
  }
  return entries;
}
