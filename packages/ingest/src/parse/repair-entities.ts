import { htmlEntity } from "./html-entity.ts";

const XML_ENTITIES = new Set(["amp;", "lt;", "gt;", "quot;", "apos;"]);
const AMPERSAND = /&(#x[0-9a-f]+;|#[0-9]+;|[a-z][a-z0-9]*;)?/gi;

/**
 * Many feeds are written by HTML templates: `&nbsp;`, `&eacute;` or a bare `&` where XML
 * allows only its five entities. This rewrites HTML entities as numeric references and bare
 * ampersands as `&amp;`, so that such a feed can be read on a second attempt.
 */
export function repairEntities(xml: string): string {
  return xml.replace(AMPERSAND, (match, reference: string | undefined) => {
    if (reference === undefined) return "&amp;";
    if (reference.startsWith("#") || XML_ENTITIES.has(reference)) return match;
    const decoded = htmlEntity(reference.slice(0, -1));
    if (decoded === null) return `&amp;${reference}`;
    return Array.from(decoded, (char) => `&#${char.codePointAt(0)};`).join("");
  });
}
