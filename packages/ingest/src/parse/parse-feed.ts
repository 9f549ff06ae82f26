import { FeedError } from "../feed-error.ts";
import { DEFAULT_MAX_BYTES } from "../fetch/fetch-types.ts";
import { readAtomFeed } from "./atom-feed.ts";
import { refuseEntityDeclarations, refuseHtmlPage } from "./guard-document.ts";
import { parseJsonFeed } from "./json-feed.ts";
import type { ParsedFeed } from "./parsed-feed.ts";
import { repairEntities } from "./repair-entities.ts";
import { readRssFeed } from "./rss-feed.ts";
import type { XmlBase } from "./xml-element.ts";
import { parseXmlTree, type XmlElement, XmlSyntaxError } from "./xml-tree.ts";

export interface ParseOptions {
  /** Documents larger than this (in UTF-8 bytes) are refused; defaults to the fetch cap. */
  maxBytes?: number;
  /** Where the document was read from: relative xml:base values resolve against it. */
  url?: string;
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
  // A byte order mark left in the text (decodeFeed strips it; other callers may not) is not content.
  return parseXml(text.startsWith("\uFEFF") ? text.slice(1) : text, options.url ?? null);
}

function parseXml(xml: string, url: string | null): ParsedFeed {
  const documentBase: XmlBase = { url, declared: false };
  const root = parseRepairing(xml);
  if (root.name === "feed") return readAtomFeed(root, documentBase);
  if (root.name === "rss" || root.name === "rdf:RDF") return readRssFeed(root, documentBase);
  throw new FeedError("FEED_NOT_A_FEED", "The document is XML but not an RSS, Atom or RDF feed.", { permanent: true });
}

/** Feeds written by HTML templates get a second chance with their entities repaired. */
function parseRepairing(xml: string): XmlElement {
  try {
    return parseXmlTree(xml);
  } catch (error) {
    const repaired = repairEntities(xml);
    if (repaired === xml || !(error instanceof XmlSyntaxError)) throw parseError(error);
    try {
      return parseXmlTree(repaired);
    } catch (retryError) {
      throw parseError(retryError);
    }
  }
}

function parseError(error: unknown): FeedError {
  const reason = error instanceof XmlSyntaxError ? error.message : "unknown error";
  return new FeedError("FEED_PARSE", `The feed is not well-formed XML (${reason}).`, { cause: error });
}
