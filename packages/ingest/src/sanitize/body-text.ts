import { BLOCKS, LINE_ENDS, tidySpacing } from "../normalize/html-to-text.ts";

/**
 * The plain text of a body as the sanitizer writes it, by htmlToText's rules: whitespace in
 * text is one space, block elements make paragraph breaks, br and the end of a list item or
 * table cell a line break.
 */
export interface BodyText {
  add(text: string): void;
  openTag(name: string): void;
  closeTag(name: string): void;
  length(): number;
  /** Forgets everything from `position` on: what a filter cut out of the markup. */
  cut(position: number): void;
  finish(): string;
}

const WHITESPACE = /\s+/g;

export function createBodyText(): BodyText {
  let text = "";
  return {
    add(piece) {
      text += piece.replace(WHITESPACE, " ");
    },
    openTag(name) {
      if (BLOCKS.has(name)) text += "\n\n";
      else if (name === "br") text += "\n";
    },
    closeTag(name) {
      if (BLOCKS.has(name)) text += "\n\n";
      else if (LINE_ENDS.has(name)) text += "\n";
    },
    length: () => text.length,
    cut(position) {
      text = text.slice(0, position);
    },
    finish: () => tidySpacing(text),
  };
}
