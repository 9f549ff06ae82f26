/**
 * The named entities an engine or an editor writes into text, beyond the five of XML: what the
 * segmenter reads as text and what Apertium's html reformatter may write itself. Any other name
 * is left as it stands.
 */
const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: "\u00a0",
  hellip: "…",
  laquo: "«",
  raquo: "»",
  ldquo: "“",
  rdquo: "”",
  lsquo: "‘",
  rsquo: "’",
  mdash: "—",
  ndash: "–",
};

/** A character reference; group 1 is what stands between `&` and `;`. */
export const ENTITY_REFERENCE = /&(#[xX][0-9a-fA-F]+|#\d+|[a-zA-Z][a-zA-Z0-9]*);/g;

/** The text of one reference (`entity` without `&` and `;`), or `whole` when it names nothing. */
export function decodeEntity(entity: string, whole: string): string {
  if (entity.startsWith("#")) {
    const hex = entity[1] === "x" || entity[1] === "X";
    const value = hex ? Number.parseInt(entity.slice(2), 16) : Number(entity.slice(1));
    return Number.isInteger(value) && value >= 0 && value <= 0x10ffff ? String.fromCodePoint(value) : whole;
  }
  return NAMED_ENTITIES[entity.toLowerCase()] ?? whole;
}

/** Undoes escapeHtml, plus the numeric references and the names above. */
export function decodeEntities(html: string): string {
  return html.replace(ENTITY_REFERENCE, (whole, entity: string) => decodeEntity(entity, whole));
}
