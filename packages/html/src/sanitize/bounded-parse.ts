import { type Handler, Parser, type ParserOptions, Tokenizer, type TokenizerCallbacks } from "htmlparser2";

/**
 * How deep elements may nest. Browsers stop nesting at 512 (Chromium) and a news body is rarely
 * 30 deep; past this depth tags are dropped and their text kept, as the deepest element's.
 */
export const MAX_NESTING_DEPTH = 256;

// Elements whose content htmlparser2's tokenizer reads as raw text up to their own end tag:
// when their opening tag is dropped, so is that text, which is code, not the body's words.
const RAW_TEXT = new Set(["script", "style", "title", "textarea", "xmp"]);

/**
 * htmlparser2's Parser over `html`, with open elements never nested deeper than `maxDepth`.
 * The Parser keeps its open elements in an array it grows at the front and searches on every
 * closing tag, so each tag costs time in proportion to the depth: unbounded, 1.8 MB of
 * unclosed `<b><i>` took 141 s. Bounded, every tag costs at most `maxDepth` steps and the time
 * is linear in the input. Entities are left undecoded, as sanitizeBody wants them.
 */
export function parseBounded(html: string, handler: Partial<Handler>, maxDepth = MAX_NESTING_DEPTH): void {
  // The Parser reports every element it opens and every one it closes (implied ones and void
  // ones, opened and closed at once, included), so this count is the depth of its stack.
  let depth = 0;
  const counting: Partial<Handler> = {
    onopentag(name, attributes, implied) {
      depth++;
      handler.onopentag?.(name, attributes, implied);
    },
    onclosetag(name, implied) {
      depth--;
      handler.onclosetag?.(name, implied);
    },
    ontext(text) {
      handler.ontext?.(text);
    },
  };
  const options: ParserOptions & GateOptions = {
    decodeEntities: false,
    Tokenizer: GatedTokenizer,
    gate: { html, depth: () => depth, maxDepth },
  };
  new Parser(counting, options).end(html);
}

/** What the Parser hands its tokenizer along with its own options: the gate's settings for one parse. */
interface GateOptions {
  gate: { html: string; depth: () => number; maxDepth: number };
}

/**
 * The tokenizer with a DepthGate before the Parser. Declared once: a class declared per parse
 * gave V8 a new shape every call, so the tokenizer's hot loop never stayed optimized (the
 * sanitizer ran at a third of htmlparser2's speed, `bench ingest` 0.27 against rss-parser).
 */
class GatedTokenizer extends Tokenizer {
  constructor(options: ConstructorParameters<typeof Tokenizer>[0] & Partial<GateOptions>, parser: TokenizerCallbacks) {
    const gate = options.gate;
    super(options, gate ? new DepthGate(parser, gate.html, gate.depth, gate.maxDepth) : parser);
  }
}

/**
 * Sits between the tokenizer and the Parser and keeps from the Parser every opening tag (with
 * its attributes) met when the Parser is already `maxDepth` deep. Closing tags pass: the
 * Parser ignores those it has no element open for.
 */
class DepthGate implements TokenizerCallbacks {
  /** Inside an opening tag being dropped: its attributes and end go nowhere. */
  private droppingTag = false;
  private droppedName = "";
  /** Inside the raw text of a dropped script, style or the like. */
  private droppingText = false;

  constructor(
    private readonly parser: TokenizerCallbacks,
    private readonly html: string,
    private readonly depth: () => number,
    private readonly maxDepth: number,
  ) {}

  onopentagname(start: number, endIndex: number): void {
    if (this.depth() < this.maxDepth) {
      this.parser.onopentagname(start, endIndex);
      return;
    }
    this.droppingTag = true;
    this.droppedName = this.html.slice(start, endIndex).toLowerCase();
  }

  onopentagend(endIndex: number): void {
    if (!this.droppingTag) {
      this.parser.onopentagend(endIndex);
      return;
    }
    this.droppingTag = false;
    this.droppingText = RAW_TEXT.has(this.droppedName);
  }

  onselfclosingtag(endIndex: number): void {
    // The tokenizer reads no raw text after a self-closing tag, whatever its name.
    if (this.droppingTag) this.droppingTag = false;
    else this.parser.onselfclosingtag(endIndex);
  }

  onattribname(start: number, endIndex: number): void {
    if (!this.droppingTag) this.parser.onattribname(start, endIndex);
  }

  onattribdata(start: number, endIndex: number): void {
    if (!this.droppingTag) this.parser.onattribdata(start, endIndex);
  }

  onattribentity(codepoint: number): void {
    if (!this.droppingTag) this.parser.onattribentity(codepoint);
  }

  onattribend(quote: Parameters<TokenizerCallbacks["onattribend"]>[0], endIndex: number): void {
    if (!this.droppingTag) this.parser.onattribend(quote, endIndex);
  }

  ontext(start: number, endIndex: number): void {
    if (!this.droppingText) this.parser.ontext(start, endIndex);
  }

  ontextentity(codepoint: number, endIndex: number): void {
    if (!this.droppingText) this.parser.ontextentity(codepoint, endIndex);
  }

  onclosetag(start: number, endIndex: number): void {
    // In raw text the tokenizer reports no closing tag but the element's own.
    this.droppingText = false;
    this.parser.onclosetag(start, endIndex);
  }

  oncdata(start: number, endIndex: number, endOffset: number): void {
    this.parser.oncdata(start, endIndex, endOffset);
  }

  oncomment(start: number, endIndex: number, endOffset: number): void {
    this.parser.oncomment(start, endIndex, endOffset);
  }

  ondeclaration(start: number, endIndex: number): void {
    this.parser.ondeclaration(start, endIndex);
  }

  onprocessinginstruction(start: number, endIndex: number): void {
    this.parser.onprocessinginstruction(start, endIndex);
  }

  onend(): void {
    this.parser.onend();
  }
}
