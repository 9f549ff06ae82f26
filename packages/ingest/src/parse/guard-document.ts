import { FeedError } from "../feed-error.ts";

const DOCTYPE = /<!DOCTYPE/i;
const ENTITY_DECLARATION = /<!ENTITY/i;
const ELEMENT_START = /<[A-Za-z_:]/;
const LEADING_PROLOG = /^(?:\s|<\?[\s\S]*?\?>|<!--[\s\S]*?-->)*/;
const HTML_START = /^(?:<!DOCTYPE\s+html|<html[\s>])/i;

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

/** A web page where a feed was expected: the commonest wrong URL an admin pastes. */
export function refuseHtmlPage(document: string): void {
  const start = document.slice(0, 4096).replace(LEADING_PROLOG, "");
  if (HTML_START.test(start)) {
    throw new FeedError("FEED_NOT_A_FEED", "The document is an HTML page, not a feed.", { permanent: true });
  }
}
