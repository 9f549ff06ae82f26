import { decodeHTML, decodeHTMLAttribute } from "entities";
import { escapeHtml, escapeHtmlAttribute } from "../escape.ts";
import {
  ALLOWED_ATTRIBUTES,
  ALLOWED_TAGS,
  DROPPED_WITH_CONTENT,
  EMPTY_ALLOWED,
  MEDIA_TAGS,
  RENAMED_TAGS,
  VOID_TAGS,
} from "./allowlist.ts";
import { BodyText, type TextMark } from "./body-text.ts";
import { type Attributes, imageAttributes, linkAttributes } from "./url-attributes.ts";

export interface BodyImage {
  url: string;
  alt: string | null;
}

/** An element open in the input, allowed or not, as the writer tracks it. */
interface Frame {
  /** The name as parsed: closing tags are matched against it. */
  tag: string;
  /** The name as written (h1 becomes h2). */
  name: string;
  allowed: boolean;
  /** The attributes written, for the filters that look at them. */
  attributes: Attributes;
  /** Where its opening tag starts in the output (and in the text), so that a filter can cut it out. */
  position: number;
  textMark: TextMark;
  /** Whether it holds text other than whitespace, its descendants' included. */
  hasText: boolean;
  /** How many of its direct children are media (a paragraph holding only a picture is kept). */
  mediaChildren: number;
}

/**
 * htmlparser2's handler that writes the allowed part of a body back out: the markup, its plain
 * text and its first picture. Entities arrive undecoded (see sanitizeBody) and are decoded here.
 */
export class AllowlistWriter {
  output = "";
  readonly text = new BodyText();
  firstImage: { image: BodyImage; position: number } | null = null;
  private readonly stack: Frame[] = [];
  /** Inside an element dropped with its content: how many elements deep. */
  private droppedDepth = 0;

  constructor(private readonly baseUrl: string | null) {}

  onopentag(tag: string, rawAttributes: Attributes): void {
    if (this.droppedDepth > 0) {
      this.droppedDepth++;
      return;
    }
    const name = RENAMED_TAGS.get(tag) ?? tag;
    const allowed = ALLOWED_TAGS.has(name);
    const frame: Frame = {
      tag,
      name,
      allowed,
      attributes: rawAttributes,
      position: this.output.length,
      textMark: this.text.mark(),
      hasText: false,
      mediaChildren: 0,
    };
    this.stack.push(frame);
    if (!allowed) {
      if (DROPPED_WITH_CONTENT.has(name)) this.droppedDepth = 1;
      return;
    }
    frame.attributes = this.allowedAttributes(name, rawAttributes);
    let written = `<${name}`;
    for (const attribute in frame.attributes) {
      written += ` ${attribute}="${escapeHtmlAttribute(frame.attributes[attribute] as string)}"`;
    }
    this.output += VOID_TAGS.has(name) ? `${written} />` : `${written}>`;
    this.text.openTag(name);
  }

  ontext(raw: string): void {
    if (this.droppedDepth > 0) return;
    // Most text is words and single spaces: one scan proves there is nothing to decode,
    // escape or flatten, and it is copied as it is.
    const plain = !NEEDS_WORK.test(raw);
    const text = plain || !raw.includes("&") ? raw : decodeHTML(raw);
    this.output += plain ? text : escapeHtml(text);
    if (plain) this.text.addFlat(text);
    else this.text.add(text);
    const frame = this.stack.at(-1);
    if (frame !== undefined && !frame.hasText && NOT_BLANK.test(text)) frame.hasText = true;
  }

  onclosetag(tag: string): void {
    if (this.droppedDepth > 0 && --this.droppedDepth > 0) return;
    const frame = this.stack.pop();
    if (frame === undefined) return;
    if (frame.tag !== tag) {
      // A close the parser implied for an element we never saw open (it was inside a dropped one).
      this.stack.push(frame);
      return;
    }
    const parent = this.stack.at(-1);
    if (frame.allowed && (isTrackingPixel(frame) || isEmptyParagraph(frame))) {
      this.output = this.output.slice(0, frame.position);
      this.text.cut(frame.textMark);
      if (this.firstImage !== null && this.firstImage.position >= frame.position) this.firstImage = null;
      return;
    }
    if (frame.allowed && frame.tag === "img" && this.firstImage === null) {
      const alt = frame.attributes.alt?.trim();
      this.firstImage = { image: { url: frame.attributes.src ?? "", alt: alt ? alt : null }, position: frame.position };
    }
    if (parent !== undefined) {
      parent.hasText ||= frame.hasText;
      if (frame.allowed && MEDIA_TAGS.has(frame.tag)) parent.mediaChildren++;
    }
    if (frame.allowed && !VOID_TAGS.has(frame.name)) {
      this.output += `</${frame.name}>`;
      this.text.closeTag(frame.name);
    }
  }

  /** The attributes the allowlist keeps, URLs made absolute; empty values only for alt. */
  private allowedAttributes(name: string, rawAttributes: Attributes): Attributes {
    const allowed = ALLOWED_ATTRIBUTES.get(name);
    if (allowed === undefined) return {};
    const attribs = decodeAttributes(rawAttributes);
    const resolved =
      name === "a"
        ? linkAttributes(attribs, this.baseUrl)
        : name === "img"
          ? imageAttributes(attribs, this.baseUrl)
          : attribs;
    const kept: Attributes = {};
    for (const attribute in resolved) {
      const value = resolved[attribute] as string;
      if (allowed.has(attribute) && (value !== "" || attribute === EMPTY_ALLOWED)) kept[attribute] = value;
    }
    return kept;
  }
}

// An entity, a character to escape, or whitespace other than single spaces (\s spelled out).
const NEEDS_WORK = /[&<>\t-\r\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]| {2}/;
// Exactly what String.prototype.trim removes, negated.
const NOT_BLANK = /\S/;

function decodeAttributes(attributes: Attributes): Attributes {
  let decoded: Attributes | null = null;
  for (const name in attributes) {
    const raw = attributes[name] as string;
    if (decoded === null && !raw.includes("&")) continue;
    if (decoded === null) {
      // The first value with an entity: copy the ones before it (plain) and decode from here on.
      decoded = {};
      for (const before in attributes) {
        if (before === name) break;
        decoded[before] = attributes[before] as string;
      }
    }
    decoded[name] = decodeHTMLAttribute(raw);
  }
  return decoded ?? attributes;
}

/** A 1×1 (or 0×0) image, or one whose URL did not survive: a tracker, not a picture. */
function isTrackingPixel(frame: Frame): boolean {
  if (frame.tag !== "img") return false;
  if (frame.attributes.src === undefined) return true;
  return isTiny(frame.attributes.width) || isTiny(frame.attributes.height);
}

function isTiny(dimension: string | undefined): boolean {
  return dimension !== undefined && /^\s*[01](px)?\s*$/i.test(dimension);
}

/** A paragraph with neither text nor a picture among its children: layout spacing. */
function isEmptyParagraph(frame: Frame): boolean {
  return frame.tag === "p" && !frame.hasText && frame.mediaChildren === 0;
}
