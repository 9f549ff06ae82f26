import { BLOCK_ELEMENTS } from "../block-elements.ts";
import { LINE_ENDS } from "../html-text.ts";

/** Where the text stood when an element opened, so that a filter can cut the element out again. */
export interface TextMark {
  length: number;
  spaces: number;
  newlines: number;
}

/**
 * The plain text of a body as the sanitizer writes it, by htmlToText's rules: whitespace in
 * text is one space, block elements make paragraph breaks, br and the end of a list item or
 * table cell a line break; a run of spaces and breaks is one space, one line break or one
 * paragraph break; none at either end. The run between two words is held back until the next
 * word shows which it is, so that no pass over the whole text is needed afterwards.
 */
export class BodyText {
  private text = "";
  /** The run of spaces and line breaks since the last word. */
  private spaces = 0;
  private newlines = 0;

  add(piece: string): void {
    this.addFlat(ODD_WHITESPACE.test(piece) ? piece.replace(WHITESPACE, " ") : piece);
  }

  /** add, for a piece known to hold no whitespace but single spaces. */
  addFlat(flat: string): void {
    if (flat === "") return;
    const leading = flat.charCodeAt(0) === SPACE ? 1 : 0;
    const trailing = flat.length > leading && flat.charCodeAt(flat.length - 1) === SPACE ? 1 : 0;
    this.spaces += leading;
    if (flat.length - trailing > leading) {
      this.flushRun();
      this.text += leading === 0 && trailing === 0 ? flat : flat.slice(leading, flat.length - trailing);
    }
    this.spaces += trailing;
  }

  openTag(name: string): void {
    if (BLOCK_ELEMENTS.has(name)) this.newlines += 2;
    else if (name === "br") this.newlines += 1;
  }

  closeTag(name: string): void {
    if (BLOCK_ELEMENTS.has(name)) this.newlines += 2;
    else if (LINE_ENDS.has(name)) this.newlines += 1;
  }

  mark(): TextMark {
    return { length: this.text.length, spaces: this.spaces, newlines: this.newlines };
  }

  cut(mark: TextMark): void {
    this.text = this.text.slice(0, mark.length);
    this.spaces = mark.spaces;
    this.newlines = mark.newlines;
  }

  /** The text, without the run after its last word. */
  finish(): string {
    return this.text;
  }

  private flushRun(): void {
    // Nothing before the first word: the text starts with it.
    if (this.text !== "")
      this.text += this.newlines >= 2 ? "\n\n" : this.newlines === 1 ? "\n" : this.spaces > 0 ? " " : "";
    this.spaces = 0;
    this.newlines = 0;
  }
}

const SPACE = 32;
const WHITESPACE = /\s+/g;
// Whitespace other than single spaces (\s spelled out, which V8 scans faster than [^\S ]):
// only then is there anything to flatten.
const ODD_WHITESPACE = /[\t-\r\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]| {2}/;
