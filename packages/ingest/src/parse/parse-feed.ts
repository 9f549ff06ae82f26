import { FeedError } from "../feed-error.ts";
import { DEFAULT_MAX_BYTES } from "../fetch/fetch-types.ts";
import { parseWithRssParser } from "./from-rss-parser.ts";
import { refuseEntityDeclarations, refuseHtmlPage } from "./guard-document.ts";
import { parseJsonFeed } from "./json-feed.ts";
import type { ParsedFeed } from "./parsed-feed.ts";
import { repairEntities } from "./repair-entities.ts";

export interface ParseOptions {
  /** Documents larger than this (in UTF-8 bytes) are refused; defaults to the fetch cap. */
  maxBytes?: number;
}

/** Parses a decoded RSS, Atom, RDF or JSON Feed document. */
export async function parseFeed(text: string, options: ParseOptions = {}): Promise<ParsedFeed> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (Buffer.byteLength(text) > maxBytes) {
    throw new FeedError("FEED_TOO_LARGE", `The feed is larger than the limit of ${maxBytes} bytes.`);
  }
  const start = text.trimStart();
  if (start.startsWith("{") || start.startsWith("[")) return parseJsonFeed(start);
  refuseEntityDeclarations(text);
  refuseHtmlPage(start);
  return parseXml(text);
}

async function parseXml(xml: string): Promise<ParsedFeed> {
  try {
    return await parseWithRssParser(xml);
  } catch (error) {
    const repaired = repairEntities(xml);
    if (repaired === xml || isNotAFeed(error)) throw parseError(error);
    return await parseWithRssParser(repaired).catch((retryError: unknown) => {
      throw parseError(retryError);
    });
  }
}

function parseError(error: unknown): FeedError {
  if (isNotAFeed(error)) {
    return new FeedError("FEED_NOT_A_FEED", "The document is XML but not an RSS, Atom or RDF feed.", {
      cause: error,
      permanent: true,
    });
  }
  if (error instanceof TypeError) {
    // rss-parser walks the tree without checks: a <rss> without a <channel> ends up here.
    return new FeedError("FEED_PARSE", "The feed is XML but lacks the elements an RSS or Atom feed needs.", {
      cause: error,
    });
  }
  return new FeedError("FEED_PARSE", `The feed is not well-formed XML (${describeXmlError(error)}).`, {
    cause: error,
  });
}

function isNotAFeed(error: unknown): boolean {
  // rss-parser's own wording when a well-formed document has no rss, feed or rdf:RDF root.
  return error instanceof Error && error.message.startsWith("Feed not recognized");
}

/** xml2js reports "Unexpected close tag\nLine: 3\nColumn: 7\nChar: >": kept to one line. */
function describeXmlError(error: unknown): string {
  if (!(error instanceof Error)) return "unknown error";
  const [reason = "unknown error", ...details] = error.message.split("\n");
  const line = details
    .find((detail) => detail.startsWith("Line:"))
    ?.slice(5)
    .trim();
  const column = details
    .find((detail) => detail.startsWith("Column:"))
    ?.slice(7)
    .trim();
  const where = line === undefined ? "" : ` at line ${Number(line) + 1}, column ${column ?? "?"}`;
  return `${reason.replace(/\.$/, "").toLowerCase()}${where}`;
}
