import { parseBounded } from "@babelwire/html";

// Elements written without an end tag: a browser (and linkedom) treats them as empty.
const VOID = new Set([
  "area",
  "base",
  "basefont",
  "br",
  "col",
  "command",
  "embed",
  "frame",
  "hr",
  "image",
  "img",
  "input",
  "keygen",
  "link",
  "meta",
  "param",
  "source",
  "track",
  "wbr",
]);

/**
 * A web page rewritten with its elements nested at most MAX_NESTING_DEPTH deep, for Readability.
 * Readability walks each element's ancestors, so its time grows with the page's length times its
 * depth: 120 KB of unclosed `<b><i>` took 64 s. Comments and the doctype go; tags, attributes
 * and text are written back as they were (entities undecoded), so linkedom reads the same page.
 */
export function boundedPage(html: string): string {
  const parts: string[] = [];
  parseBounded(html, {
    onopentag(name, attributes) {
      let tag = `<${name}`;
      for (const attribute in attributes) {
        tag += ` ${attribute}="${(attributes[attribute] as string).replace(/"/g, "&quot;")}"`;
      }
      parts.push(`${tag}>`);
    },
    ontext(text) {
      parts.push(text);
    },
    onclosetag(name) {
      if (!VOID.has(name)) parts.push(`</${name}>`);
    },
  });
  return parts.join("");
}
