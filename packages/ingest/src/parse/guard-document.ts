import { FeedError } from "../feed-error.ts";

const DOCTYPE = /<!DOCTYPE/i;
const ENTITY_DECLARATION = /<!ENTITY/i;
const ELEMENT_START = /<[A-Za-z_:]/;
const LEADING_PROLOG = /^(?:\s|<\?[\s\S]*?\?>|<!--[\s\S]*?-->)*/;
const HTML_ROOT = /^<html[\s>]/i;
const HTML_DOCTYPE = /^<!DOCTYPE\s+html\b[^>[]*>/i;
// The root elements of the formats parse-feed reads, with or without a namespace prefix.
const FEED_ROOT = /^<(?:[A-Za-z_][\w.-]*:)?(?:rss|feed|RDF)[\s/>]/i;

/**
 * Refuses entity declarations before any XML parser sees the document: "billion laughs" and
 * external entities need a DOCTYPE that declares entities, and no real feed needs one.
 */
export function refuseEntityDeclarations(xml: string): void {
  // A DOCTYPE belongs before the root element; looking only there spares a case-insensitive
  // scan of the whole document (several megabytes for a feed of full bodies).
  const rootStart = xml.search(ELEMENT_START);
  const prolog = rootStart === -1 ? xml : xml.slice(0, rootStart);
  if (DOCTYPE.test(prolog) && ENTITY_DECLARATION.test(prolog)) {
    throw new FeedError("FEED_PARSE", "The feed declares XML entities, and entities are not allowed.", {
      permanent: true,
    });
  }
}

/**
 * A web page where a feed was expected: the commonest wrong URL an admin pastes. An HTML
 * DOCTYPE alone does not make a page: templates that print one above an `<rss>` root exist,
 * and feedparser reads their feeds; the root element decides.
 */
export function refuseHtmlPage(document: string): void {
  const start = document.slice(0, 4096).replace(LEADING_PROLOG, "");
  const doctype = HTML_DOCTYPE.exec(start)?.[0];
  const root = doctype === undefined ? start : start.slice(doctype.length).replace(LEADING_PROLOG, "");
  if (HTML_ROOT.test(root) || (doctype !== undefined && !FEED_ROOT.test(root))) {
    throw new FeedError("FEED_NOT_A_FEED", "The document is an HTML page, not a feed.", { permanent: true });
  }
}
