/**
 * The names feed readers look elements up by. XML names are case-sensitive and bound to
 * namespaces, but feeds are written by hand and by templates: RSS with its own elements
 * prefixed (`<rss:item>` under `xmlns:rss="http://purl.org/rss/1.0/"`), `<TiTlE>` where
 * `<title>` was meant. feedparser reads both; so do we, by giving such elements the name the
 * readers know before the tree is built. Only RSS's own namespaces are resolved: an Atom or
 * Dublin Core element keeps the prefix the feed gave it (`atom:link` beside RSS's `link`).
 */

// RSS 1.0, RSS 0.90 (Netscape's two), and UserLand's and Harvard's namespaces for RSS 2.0.
const RSS_NAMESPACES = new Set([
  "http://purl.org/rss/1.0/",
  "http://my.netscape.com/rdf/simple/0.9/",
  "http://channel.netscape.com/rdf/simple/0.9/",
  "http://backend.userland.com/rss2",
  "http://blogs.law.harvard.edu/tech/rss",
]);

export function isRssNamespace(uri: string): boolean {
  return RSS_NAMESPACES.has(uri.trim());
}

// Unprefixed elements the readers look up, by their lower-case spelling.
const CANONICAL = new Map(
  [
    "rss",
    "channel",
    "item",
    "feed",
    "entry",
    "title",
    "link",
    "description",
    "summary",
    "content",
    "guid",
    "id",
    "pubDate",
    "published",
    "updated",
    "issued",
    "modified",
    "language",
    "ttl",
    "author",
    "name",
    "email",
    "category",
    "enclosure",
    "body",
    "fullitem",
    "tags",
  ].map((name) => [name.toLowerCase(), name]),
);

/** An unprefixed name in the spelling the readers use (`TiTlE` → `title`); others as written. */
export function canonicalCase(name: string): string {
  const lower = name.toLowerCase();
  if (lower === name && name !== "pubdate") return name;
  return CANONICAL.get(lower) ?? name;
}
