import { isUtf8 } from "node:buffer";
import {
  authorsOf,
  categoriesOf,
  extensionDescriptionOf,
  extensionTitleOf,
  mediaOf,
  xmlLangOf,
} from "./item-fields.ts";
import type { ParsedFeed, ParsedItem, ParsedMedia } from "./parsed-feed.ts";
import { websubLinksOf } from "./websub-links.ts";
import {
  baseOf,
  childNamed,
  childrenNamed,
  innerHtml,
  localName,
  markupOf,
  textOf,
  type XmlBase,
} from "./xml-element.ts";
import type { XmlElement } from "./xml-tree.ts";

/** Atom 1.0 and 0.3 (`<feed>`). */
export function readAtomFeed(root: XmlElement, documentBase: XmlBase): ParsedFeed {
  const base = baseOf(root, documentBase);
  return {
    title: atomText(childNamed(root, "title")) ?? "",
    websub: websubLinksOf(root),
    link: alternateLink(root),
    language: textOf(childNamed(root, "dc:language")) ?? xmlLangOf(root),
    ttlMinutes: null,
    baseUrl: base.declared ? base.url : null,
    items: childrenNamed(root, "entry").map((entry) => readEntry(entry, base)),
  };
}

function readEntry(entry: XmlElement, feedBase: XmlBase): ParsedItem {
  const base = baseOf(entry, feedBase);
  const content = childNamed(entry, "content");
  const summary = childNamed(entry, "summary");
  // Without a content element the summary is the body, so its xml:base is the body's.
  const bodyBase = baseOf(content ?? summary, base);
  return {
    id: textOf(childNamed(entry, "id")),
    link: alternateLink(entry),
    title: atomText(childNamed(entry, "title")) ?? extensionTitleOf(entry),
    contentHtml: atomText(content),
    descriptionHtml: atomText(summary) ?? extensionDescriptionOf(entry),
    // Atom 0.3 said issued and modified where 1.0 says published and updated.
    published:
      textOf(childNamed(entry, "published")) ??
      textOf(childNamed(entry, "issued")) ??
      textOf(childNamed(entry, "dcterms:issued")),
    updated:
      textOf(childNamed(entry, "updated")) ??
      textOf(childNamed(entry, "modified")) ??
      textOf(childNamed(entry, "dcterms:modified")),
    language: xmlLangOf(entry),
    authors: authorsOf(entry),
    categories: categoriesOf(entry),
    media: [...mediaOf(entry), ...outOfLineContent(content)],
    baseUrl: base.declared ? base.url : null,
    contentBaseUrl: bodyBase.declared ? bodyBase.url : null,
  };
}

/** `<content src="…">`: the entry's content lives elsewhere (a video, a PDF); we offer it as a medium. */
function outOfLineContent(content: XmlElement | undefined): ParsedMedia[] {
  const url = content?.attributes.src?.trim();
  if (!url) return [];
  return [{ url, type: content?.attributes.type?.trim() || null, caption: null, length: null }];
}

/** The first link with rel="alternate", else the first link: where the entry is on the web. */
function alternateLink(element: XmlElement): string | null {
  const links = childrenNamed(element, "link");
  const link = links.find((candidate) => candidate.attributes.rel === "alternate") ?? links[0];
  return link?.attributes.href?.trim() || textOf(link);
}

/**
 * An Atom text construct (title, summary, content) as HTML or text, whatever way it is written:
 * `type="xhtml"` (markup inside one XHTML div, the div itself not part of it), `type="html"`
 * (escaped HTML), text, an Atom 0.3 `mode="base64"` or `mode="xml"`, or a MIME type.
 */
function atomText(element: XmlElement | undefined): string | null {
  if (element === undefined) return null;
  const type = element.attributes.type?.trim().toLowerCase() ?? "text";
  const mode = element.attributes.mode?.trim().toLowerCase();
  if (mode === "base64" || isBinaryType(type)) {
    const decoded = decodeBase64(element.children.join(""));
    if (decoded !== null) return blankToNull(decoded);
  }
  if (type === "xhtml" || (type === "application/xhtml+xml" && mode !== "xml")) {
    const elements = element.children.filter((child): child is XmlElement => typeof child !== "string");
    const [only] = elements;
    const wrapper = elements.length === 1 && only !== undefined && localName(only.name) === "div" ? only : element;
    return blankToNull(innerHtml(wrapper));
  }
  return escapedMarkupInDiv(element, type) ?? markupOf(element);
}

/**
 * TypePad's habit: `type="html"` content written as an XHTML div holding the HTML escaped, as
 * type="html" content alone would hold it. The div is a wrapper, its text the HTML.
 */
function escapedMarkupInDiv(element: XmlElement, type: string): string | null {
  if (type !== "html" && type !== "text/html") return null;
  const elements = element.children.filter((child): child is XmlElement => typeof child !== "string");
  const [only] = elements;
  if (elements.length !== 1 || only === undefined || localName(only.name) !== "div") return null;
  if (only.name === "div" && only.attributes.xmlns !== XHTML_NAMESPACE) return null;
  const outside = element.children.filter((child) => typeof child === "string").join("");
  if (outside.trim() !== "" || !only.children.every((child) => typeof child === "string")) return null;
  return blankToNull(only.children.join(""));
}

/**
 * Atom 1.0 (RFC 4287 4.1.3.3): content of a MIME type neither text nor XML is base64. Feeds
 * also use made-up types for plain text, so only what decodes to UTF-8 text is taken as base64
 * (for Atom 0.3's explicit mode="base64" too); anything else is read as written.
 */
function isBinaryType(type: string): boolean {
  return type.includes("/") && !type.startsWith("text/") && !/[/+]xml$/.test(type);
}

function decodeBase64(text: string): string | null {
  const compact = text.replace(/\s+/g, "");
  if (!BASE64.test(compact)) return null;
  const bytes = Buffer.from(compact, "base64");
  return isUtf8(bytes) ? bytes.toString("utf8") : null;
}

const XHTML_NAMESPACE = "http://www.w3.org/1999/xhtml";

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function blankToNull(text: string): string | null {
  return text.trim() === "" ? null : text;
}
