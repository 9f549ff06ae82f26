import { FeedError } from "../feed-error.ts";
import { refuseEntityDeclarations } from "./guard-document.ts";
import { childNamed, childrenNamed } from "./xml-element.ts";
import { parseXmlTree, type XmlElement, XmlSyntaxError } from "./xml-tree.ts";

/** One subscription of an OPML file, as Miniflux, FreshRSS and every reader export them. */
export interface OpmlFeed {
  url: string;
  title: string | null;
  language: string | null;
}

/** More subscriptions than any agency list holds; the rest of a bigger file is refused, not cut silently. */
const MAX_FEEDS = 5_000;

/**
 * The feeds of an OPML document: every `<outline xmlUrl>` at any depth (readers nest them in
 * folders), each URL once, in document order. Entity declarations are refused as in feeds.
 */
export function readOpml(xml: string): OpmlFeed[] {
  refuseEntityDeclarations(xml);
  let root: XmlElement;
  try {
    root = parseXmlTree(xml.startsWith("\uFEFF") ? xml.slice(1) : xml);
  } catch (error) {
    if (error instanceof XmlSyntaxError)
      throw new FeedError("FEED_PARSE", `The OPML file is not well-formed XML: ${error.message}`);
    throw error;
  }
  const body = root.name.toLowerCase() === "opml" ? childNamed(root, "body") : undefined;
  if (!body) throw new FeedError("FEED_PARSE", "The file is not OPML: it has no <opml><body>.");
  const feeds: OpmlFeed[] = [];
  const seen = new Set<string>();
  const visit = (outline: XmlElement) => {
    const url = outline.attributes.xmlUrl?.trim();
    if (url && !seen.has(url)) {
      seen.add(url);
      const title = (outline.attributes.title ?? outline.attributes.text)?.trim();
      feeds.push({ url, title: title || null, language: outline.attributes.language?.trim() || null });
    }
    for (const child of childrenNamed(outline, "outline")) visit(child);
  };
  for (const outline of childrenNamed(body, "outline")) visit(outline);
  if (feeds.length > MAX_FEEDS)
    throw new FeedError("FEED_TOO_LARGE", `The OPML file lists more than ${MAX_FEEDS} feeds.`);
  return feeds;
}
