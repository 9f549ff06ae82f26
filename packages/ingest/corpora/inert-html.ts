import { type DefaultTreeAdapterMap, parseFragment } from "parse5";

type ChildNode = DefaultTreeAdapterMap["childNode"];
type Element = DefaultTreeAdapterMap["element"];

// Elements that run code, load active content or restyle the page, whatever their attributes.
const FORBIDDEN_ELEMENTS = new Set([
  "script",
  "svg",
  "math",
  "iframe",
  "frame",
  "frameset",
  "object",
  "embed",
  "applet",
  "form",
  "style",
  "link",
  "meta",
  "base",
]);
const DANGEROUS_SCHEMES = /^(?:javascript|vbscript):/i;
const DATA_SCHEME = /^data:/i;

/**
 * Every executable construct in an HTML fragment, found as a browser would parse it (parse5
 * implements the WHATWG algorithm): script and other active elements, event-handler attributes,
 * javascript:/vbscript: URLs, and data: URLs anywhere but an image's src.
 */
export function executableConstructs(html: string): string[] {
  const found: string[] = [];
  walk(parseFragment(html).childNodes, found);
  return found;
}

function walk(nodes: ChildNode[], found: string[]): void {
  for (const node of nodes) {
    if (!("tagName" in node)) continue;
    inspect(node, found);
    walk(node.childNodes, found);
    if ("content" in node) walk(node.content.childNodes, found);
  }
}

function inspect(element: Element, found: string[]): void {
  if (FORBIDDEN_ELEMENTS.has(element.tagName)) found.push(`<${element.tagName}> element`);
  for (const attribute of element.attrs) {
    const name = attribute.name.toLowerCase();
    if (name.startsWith("on")) found.push(`${name}= on <${element.tagName}>`);
    // Browsers skip whitespace and control characters when reading a URL's scheme.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point.
    const value = attribute.value.replace(/[\u0000-\u0020]/g, "");
    if (DANGEROUS_SCHEMES.test(value)) found.push(`${name}="${attribute.value.slice(0, 40)}" on <${element.tagName}>`);
    if (DATA_SCHEME.test(value) && !(element.tagName === "img" && name === "src")) {
      found.push(`data: URL in ${name} on <${element.tagName}>`);
    }
  }
}
