import { windows1252ForC1 } from "../decode/windows-1252-controls.ts";
import { canonicalCase, isRssNamespace } from "./element-names.ts";
import { htmlEntity } from "./html-entity.ts";

/**
 * An element as written: qualified names (`content:encoded`), attributes decoded, children in
 * order. RSS's own elements are named as RSS writes them unprefixed (see element-names.ts).
 */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  /** Elements and text (entities decoded, CDATA as text); adjacent text is one string. */
  children: XmlNode[];
}

export type XmlNode = XmlElement | string;

/**
 * Where a document stops being well-formed XML; line and column are 1-based. The reason names no
 * part of the input: it ends up in a source's health, which editors read, and the input may be a
 * file never meant to be shown.
 */
export class XmlSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${reason} at line ${line}, column ${column}`);
  }
}

const SLASH = 0x2f;
const QUESTION_MARK = 0x3f;
const EXCLAMATION_MARK = 0x21;
const GREATER_THAN = 0x3e;
const TAG_NAME = /[^\s/>]+/y;
// What may begin a name in XML, roughly: not markup ("!", "?", "<", digits, punctuation).
const TAG_START = /^[\p{L}_:]/u;

function isNameStart(name: string): boolean {
  const code = name.charCodeAt(0) | 0x20;
  // ASCII letters answered without the Unicode-aware expression.
  return (code >= 0x61 && code <= 0x7a) || TAG_START.test(name);
}
const ATTRIBUTE = /\s+([^\s=/>"']+)\s*=\s*(?:"([^"]*)"|'([^']*)')/y;
const TAG_END = /\s*(\/?)>/y;
const CLOSING_TAG = /<\/([^\s>]+)\s*>/y;
const NOT_WHITESPACE = /[^ \t\r\n]/;
const REFERENCE = /&(?:#x([0-9a-fA-F]+)|#([0-9]+)|([A-Za-z][A-Za-z0-9]*));/y;
// Far beyond any feed (a body inside an item inside a channel nests a few dozen levels), and
// low enough that walking the tree recursively stays far from the stack's limit.
const MAX_DEPTH = 1000;
const PREDEFINED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/**
 * Reads a well-formed XML document into a tree. Written on `indexOf` rather than a
 * character-by-character SAX machine because a feed is mostly CDATA and escaped HTML: the
 * scanner jumps from one `<` to the next. Strict where a feed's meaning is at stake
 * (unbalanced tags, unknown entities, unquoted attributes are errors, so that the caller can
 * repair and retry or refuse with a position) and silent about what no feed reader needs
 * (DOCTYPE contents, processing instructions, comments). Entity declarations never reach it
 * (guard-document refuses them), so no entity ever expands to more than a character.
 */
export function parseXmlTree(xml: string): XmlElement {
  return new TreeBuilder(xml).build();
}

class TreeBuilder {
  private readonly stack: XmlElement[] = [];
  /** The open elements' names as the document wrote them, which their closing tags repeat. */
  private readonly written: string[] = [];
  /** Prefixes bound to an RSS namespace, with the depth of the element that bound each. */
  private readonly rssPrefixes = new Map<string, number>();
  private root: XmlElement | null = null;
  private position = 0;

  constructor(private readonly xml: string) {}

  build(): XmlElement {
    const { xml } = this;
    while (this.position < xml.length) {
      const open = xml.indexOf("<", this.position);
      const textEnd = open === -1 ? xml.length : open;
      if (textEnd > this.position) this.text(xml.slice(this.position, textEnd), true);
      if (open === -1) break;
      this.position = open;
      this.markup();
    }
    const unclosed = this.written.at(-1);
    if (unclosed !== undefined) this.fail("unclosed element");
    if (this.root === null) this.fail("no root element");
    return this.root as XmlElement;
  }

  private markup(): void {
    const { xml, position } = this;
    const next = xml.charCodeAt(position + 1);
    if (next === SLASH) this.closingTag();
    else if (next === QUESTION_MARK) this.skipPast("?>", "unterminated processing instruction");
    else if (next !== EXCLAMATION_MARK) this.openingTag();
    else if (xml.startsWith("<!--", position)) this.skipPast("-->", "unterminated comment");
    else if (xml.startsWith("<![CDATA[", position)) {
      const end = this.find("]]>", position + 9, "unterminated CDATA section");
      this.text(xml.slice(position + 9, end), false);
      this.position = end + 3;
    } else if (xml.slice(position, position + 9).toUpperCase() === "<!DOCTYPE") this.skipDoctype();
    else this.fail("invalid markup declaration");
  }

  private openingTag(): void {
    const { xml } = this;
    TAG_NAME.lastIndex = this.position + 1;
    const name = TAG_NAME.exec(xml)?.[0];
    if (name === undefined || !isNameStart(name)) this.fail("invalid tag name");
    const element: XmlElement = { name: name as string, attributes: {}, children: [] };
    let cursor = TAG_NAME.lastIndex;
    for (;;) {
      ATTRIBUTE.lastIndex = cursor;
      const attribute = ATTRIBUTE.exec(xml);
      if (attribute === null) break;
      const [, attributeName = "", doubleQuoted, singleQuoted] = attribute;
      element.attributes[attributeName] = this.decode(doubleQuoted ?? singleQuoted ?? "", cursor);
      cursor = ATTRIBUTE.lastIndex;
    }
    TAG_END.lastIndex = cursor;
    const end = TAG_END.exec(xml);
    if (end === null) this.fail("malformed tag", cursor);
    this.position = TAG_END.lastIndex;
    this.bindPrefixes(element.attributes);
    element.name = this.readersName(element.name);
    this.attach(element);
    if (end?.[1] !== "/") {
      this.stack.push(element);
      this.written.push(name as string);
    } else this.unbindPrefixes();
    if (this.stack.length > MAX_DEPTH) this.fail(`elements nested deeper than ${MAX_DEPTH} levels`);
  }

  /** Records `xmlns:p="…"` declarations of RSS's namespaces on the element being opened. */
  private bindPrefixes(attributes: Record<string, string>): void {
    for (const attribute in attributes) {
      if (!attribute.startsWith("xmlns:")) continue;
      const prefix = attribute.slice(6);
      if (isRssNamespace(attributes[attribute] as string)) {
        if (!this.rssPrefixes.has(prefix)) this.rssPrefixes.set(prefix, this.stack.length);
      } else if (this.rssPrefixes.has(prefix)) {
        // Rebinding an RSS prefix to another namespace for this subtree is legal and never seen; ignoring it
        // would misname elements, so the prefix stops counting as RSS's from here on.
        this.rssPrefixes.delete(prefix);
      }
    }
  }

  /** Forgets the bindings made by an element that has just closed. */
  private unbindPrefixes(): void {
    if (this.rssPrefixes.size === 0) return;
    const depth = this.stack.length;
    for (const [prefix, boundAt] of this.rssPrefixes) if (boundAt >= depth) this.rssPrefixes.delete(prefix);
  }

  private readersName(name: string): string {
    const colon = name.indexOf(":");
    if (colon === -1) return canonicalCase(name);
    if (this.rssPrefixes.size > 0 && this.rssPrefixes.has(name.slice(0, colon))) {
      return canonicalCase(name.slice(colon + 1));
    }
    return name;
  }

  private closingTag(): void {
    const { xml, position } = this;
    const open = this.written[this.written.length - 1];
    // The expected name, then ">": the common case, checked without a regular expression.
    const after = position + 2 + (open?.length ?? 0);
    if (open !== undefined && xml.charCodeAt(after) === GREATER_THAN && xml.startsWith(open, position + 2)) {
      this.close();
      this.position = after + 1;
      return;
    }
    CLOSING_TAG.lastIndex = position;
    const name = CLOSING_TAG.exec(xml)?.[1];
    if (name === undefined) this.fail("malformed closing tag");
    if (open === undefined || open !== name) this.fail("unexpected closing tag");
    this.close();
    this.position = CLOSING_TAG.lastIndex;
  }

  private close(): void {
    this.stack.pop();
    this.written.pop();
    this.unbindPrefixes();
  }

  private attach(element: XmlElement): void {
    const parent = this.stack.at(-1);
    if (parent !== undefined) parent.children.push(element);
    else if (this.root === null) this.root = element;
    else this.fail("a second root element");
  }

  private text(raw: string, escaped: boolean): void {
    const parent = this.stack[this.stack.length - 1];
    if (parent === undefined) {
      if (!escaped || NOT_WHITESPACE.test(raw)) this.fail("text outside the root element");
      return;
    }
    const text = escaped ? this.decode(raw, this.position) : raw;
    const last = parent.children.length - 1;
    if (typeof parent.children[last] === "string") parent.children[last] += text;
    else parent.children.push(text);
  }

  /**
   * Decodes character references, XML's five entities and HTML's named ones (as the sax parser
   * feeds were read with before did); an unknown name or a bare ampersand is an error, which
   * parse-feed repairs once.
   */
  private decode(raw: string, at: number): string {
    let ampersand = raw.indexOf("&");
    if (ampersand === -1) return raw;
    let decoded = "";
    let done = 0;
    while (ampersand !== -1) {
      REFERENCE.lastIndex = ampersand;
      const reference = REFERENCE.exec(raw);
      if (reference === null) this.fail("undefined entity or bare ampersand", at + ampersand);
      const [, hex, decimal, name] = reference as RegExpExecArray;
      decoded += raw.slice(done, ampersand) + this.character(hex, decimal, name, at + ampersand);
      done = REFERENCE.lastIndex;
      ampersand = raw.indexOf("&", done);
    }
    return decoded + raw.slice(done);
  }

  private character(hex: string | undefined, decimal: string | undefined, name: string | undefined, at: number) {
    if (name !== undefined) {
      const text = PREDEFINED[name] ?? htmlEntity(name);
      if (text === null) this.fail("undefined entity", at);
      return text as string;
    }
    const code = hex !== undefined ? Number.parseInt(hex, 16) : Number(decimal);
    if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) this.fail("invalid character reference", at);
    // `&#146;` means ’ to every HTML parser and to the Windows tools that write it.
    return String.fromCodePoint(windows1252ForC1(code));
  }

  private skipDoctype(): void {
    const { xml, position } = this;
    const close = this.find(">", position, "unterminated DOCTYPE");
    const subset = xml.indexOf("[", position);
    // An internal subset may hold ">" (in comments or declarations); it ends with "]>".
    const end = subset !== -1 && subset < close ? this.find("]", subset, "unterminated DOCTYPE") : position;
    this.position = this.find(">", end, "unterminated DOCTYPE") + 1;
  }

  private skipPast(terminator: string, problem: string): void {
    this.position = this.find(terminator, this.position, problem) + terminator.length;
  }

  private find(needle: string, from: number, problem: string): number {
    const found = this.xml.indexOf(needle, from);
    if (found === -1) this.fail(problem);
    return found;
  }

  private fail(reason: string, at: number = this.position): never {
    const before = this.xml.slice(0, at);
    const line = before.split("\n").length;
    throw new XmlSyntaxError(reason, line, at - before.lastIndexOf("\n"));
  }
}
