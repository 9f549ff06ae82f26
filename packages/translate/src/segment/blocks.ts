import { BLOCK_ELEMENTS, type HtmlToken, tokenizeHtml } from "@babelwire/html";

/**
 * Splits sanitized article html into its top-level blocks, the units an engine translates
 * and an editor reviews: each paragraph, heading, quote, figure or table is one segment, and
 * a whole list is one (its items read as one passage). Loose text and inline markup between
 * blocks becomes a `<p>`; whitespace between blocks is dropped.
 */
export function splitBlocks(html: string): string[] {
  const splitter = new BlockSplitter();
  for (const token of tokenizeHtml(html)) splitter.take(token);
  return splitter.finish();
}

/** Reassembles segments from splitBlocks (or their translations) into one body. */
export function joinBlocks(segments: string[]): string {
  return segments.filter((segment) => segment.trim() !== "").join("\n");
}

class BlockSplitter {
  private readonly segments: string[] = [];
  private loose = "";
  private block = "";
  /** Elements open inside the current top-level block, outermost first. */
  private readonly open: string[] = [];

  take(token: HtmlToken): void {
    if (this.open.length > 0 && this.impliesEndOfParagraph(token)) this.endBlock();
    if (this.open.length === 0) this.takeAtTop(token);
    else this.takeInBlock(token);
  }

  finish(): string[] {
    // An unclosed block is closed here so that every segment is balanced on its own.
    if (this.open.length > 0) this.endBlock();
    this.flushLoose();
    return this.segments;
  }

  private takeAtTop(token: HtmlToken): void {
    if (token.kind === "open" && BLOCK_ELEMENTS.has(token.name)) {
      this.flushLoose();
      if (token.selfClosing) {
        this.segments.push(token.raw);
      } else {
        this.block = token.raw;
        this.open.push(token.name);
      }
    } else if (token.kind !== "close" || new RegExp(`<${token.name}[\\s/>]`, "i").test(this.loose)) {
      // A close tag with nothing to close is dropped; anything else is inline content.
      this.loose += token.raw;
    }
  }

  private takeInBlock(token: HtmlToken): void {
    if (token.kind === "open") {
      this.block += token.raw;
      if (!token.selfClosing) this.open.push(token.name);
      return;
    }
    if (token.kind === "text") {
      this.block += token.raw;
      return;
    }
    const depth = this.open.lastIndexOf(token.name);
    if (depth < 0) return;
    // Elements left open inside the closed one are closed with it, as a browser would.
    for (const name of this.open.splice(depth).slice(1).reverse()) this.block += `</${name}>`;
    this.block += token.raw;
    if (this.open.length === 0) this.pushBlock();
  }

  /** `<p>` cannot hold a block, so a block opening inside a top-level paragraph ends it. */
  private impliesEndOfParagraph(token: HtmlToken): boolean {
    return token.kind === "open" && BLOCK_ELEMENTS.has(token.name) && this.open[0] === "p";
  }

  private endBlock(): void {
    for (const name of this.open.splice(0).reverse()) this.block += `</${name}>`;
    this.pushBlock();
  }

  private pushBlock(): void {
    this.segments.push(this.block);
    this.block = "";
  }

  private flushLoose(): void {
    const content = this.loose.trim();
    this.loose = "";
    if (/\S/.test(content.replace(/<br\s*\/?>/gi, ""))) this.segments.push(`<p>${content}</p>`);
  }
}
