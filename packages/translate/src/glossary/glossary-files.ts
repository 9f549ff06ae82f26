import type { GlossaryEntry } from "@babelwire/core";
import { SaxesParser } from "saxes";

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
 * both. Read with a conforming XML parser (saxes): any quoting, entities and CDATA as XML has
 * them; a file that is not well-formed is refused with the line and column of the fault.
 * Entities a DTD would declare are not expanded (an undeclared one is a fault), so a file
 * cannot make the reader fetch or inflate anything.
 */
export function parseGlossaryTbx(text: string, pair: { from: string; to: string }): GlossaryEntry[] {
  const entries: GlossaryEntry[] = [];
  const parser = new SaxesParser({ xmlns: false });
  let terms: Map<string, string> | undefined;
  let lang: string | undefined;
  let term: string | undefined;
  parser.on("opentag", (tag) => {
    const name = localName(tag.name);
    if (name === "termEntry" || name === "conceptEntry") terms = new Map();
    else if ((name === "langSet" || name === "langSec") && terms) {
      lang = tag.attributes["xml:lang"];
    } else if (name === "term" && lang !== undefined && terms && !terms.has(lang)) term = "";
  });
  const addText = (chunk: string) => {
    if (term !== undefined) term += chunk;
  };
  parser.on("text", addText);
  parser.on("cdata", addText);
  parser.on("closetag", (tag) => {
    const name = localName(tag.name);
    if (name === "term" && term !== undefined && lang !== undefined) {
      const value = term.replace(/\s+/g, " ").trim();
      if (value) terms?.set(lang, value);
      term = undefined;
    } else if (name === "langSet" || name === "langSec") lang = undefined;
    else if ((name === "termEntry" || name === "conceptEntry") && terms) {
      const found = [...terms];
      const source = found.find(([tag]) => languageMatches(tag, pair.from))?.[1];
      const target = found.find(([tag]) => languageMatches(tag, pair.to))?.[1];
      if (source && target) entries.push({ term: source, translation: target, caseSensitive: true });
      terms = undefined;
    }
  });
  try {
    parser.write(text.replace(/^\uFEFF/, "")).close();
  } catch (error) {
    throw new Error(`TBX is not well-formed XML at line ${parser.line}: ${xmlFault(error)}`);
  }
  return entries;
}

/** The element's name without a namespace prefix (`tbx:term` → `term`). */
function localName(name: string): string {
  return name.slice(name.indexOf(":") + 1);
}

/** saxes's message without the position it prefixes (`3:14: `): the line is named once, by us. */
function xmlFault(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^[^:]*?:?\d+:\d+: /, "");
}
