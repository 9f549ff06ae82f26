import { escapeHtml, escapeHtmlAttribute } from "@babelwire/html";
import type { XmlElement, XmlNode } from "./xml-tree.ts";

/** Readers for the tree parseXmlTree builds: children by qualified name, text and markup. */

export function childNamed(element: XmlElement | undefined, name: string): XmlElement | undefined {
  if (element === undefined) return undefined;
  for (const child of element.children) if (typeof child !== "string" && child.name === name) return child;
  return undefined;
}

export function childrenNamed(element: XmlElement | undefined, name: string): XmlElement[] {
  if (element === undefined) return [];
  return element.children.filter((child): child is XmlElement => typeof child !== "string" && child.name === name);
}

/** The element's own text (child elements' text left out), trimmed; null when blank. */
export function textOf(element: XmlElement | undefined): string | null {
  if (element === undefined) return null;
  let text = "";
  for (const child of element.children) if (typeof child === "string") text += child;
  const trimmed = text.trim();
  return trimmed === "" ? null : trimmed;
}

/**
 * The element's content as HTML: its text when it holds only text (escaped HTML or CDATA, as
 * feeds write bodies), or its child elements written back as markup when a feed put them there
 * unescaped. Null when blank.
 */
export function markupOf(element: XmlElement | undefined): string | null {
  if (element === undefined) return null;
  const hasElements = element.children.some((child) => typeof child !== "string");
  const content = hasElements ? innerHtml(element) : element.children.join("");
  return content.trim() === "" ? null : content;
}

/** The children of an element written as HTML: local names, namespace declarations left out. */
export function innerHtml(element: XmlElement): string {
  let html = "";
  for (const child of element.children) html += writeNode(child);
  return html;
}

// HTML elements that have no end tag: `<br></br>` would be read as two line breaks.
const VOID_ELEMENTS = new Set(["area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"]);

function writeNode(node: XmlNode): string {
  if (typeof node === "string") return escapeHtml(node);
  const name = localName(node.name);
  let html = `<${name}`;
  for (const [attribute, value] of Object.entries(node.attributes)) {
    if (attribute === "xmlns" || attribute.startsWith("xmlns:")) continue;
    html += ` ${attribute}="${escapeHtmlAttribute(value)}"`;
  }
  if (VOID_ELEMENTS.has(name)) return `${html}>`;
  return `${html}>${innerHtml(node)}</${name}>`;
}

export function localName(name: string): string {
  return name.slice(name.indexOf(":") + 1);
}

/**
 * The base URL in effect inside `element` (XML Base): its xml:base resolved against the
 * parent's. `declared` tells whether any element on the way said xml:base at all, since only
 * then does it take precedence over the item's link as the base for relative URLs.
 */
export interface XmlBase {
  url: string | null;
  declared: boolean;
}

export function baseOf(element: XmlElement | undefined, parent: XmlBase): XmlBase {
  const declared = element?.attributes["xml:base"]?.trim();
  if (declared === undefined) return parent;
  try {
    return { url: new URL(declared, parent.url ?? undefined).href, declared: true };
  } catch {
    return { url: parent.url, declared: parent.declared };
  }
}
