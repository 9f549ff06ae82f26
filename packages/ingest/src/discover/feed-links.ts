import { Parser } from "htmlparser2";

const FEED_TYPES = new Set([
  "application/rss+xml",
  "application/atom+xml",
  "application/feed+json",
  "application/json",
  "application/rdf+xml",
  "application/xml",
  "text/xml",
]);

/**
 * The feeds a web page announces, as Miniflux and browsers find them: each
 * `<link rel="alternate" type="application/rss+xml|atom+xml|feed+json" href>`, absolute
 * against the page's URL (and its `<base href>`), http(s) only, each once, in page order.
 */
export function feedLinksOf(html: string, pageUrl: string): string[] {
  let base = pageUrl;
  const hrefs: string[] = [];
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (name === "base" && attributes.href) base = absolute(attributes.href, pageUrl) ?? base;
        if (name !== "link" || !attributes.href) return;
        const rels = (attributes.rel ?? "").toLowerCase().split(/\s+/);
        const type = (attributes.type ?? "").toLowerCase().split(";")[0]?.trim() ?? "";
        if (rels.includes("alternate") && FEED_TYPES.has(type)) hrefs.push(attributes.href);
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.end(html);
  const links = hrefs.map((href) => absolute(href, base)).filter((url): url is string => url !== null);
  return [...new Set(links)];
}

/** Where sites usually keep their feed, tried when a page announces none (WordPress, Hugo, Jekyll, Ghost …). */
export const COMMON_FEED_PATHS = ["/feed", "/rss", "/feed.xml", "/rss.xml", "/atom.xml", "/index.xml", "/feed.json"];

function absolute(href: string, base: string): string | null {
  try {
    const url = new URL(href.trim(), base);
    return url.protocol === "http:" || url.protocol === "https:" ? url.toString() : null;
  } catch {
    return null;
  }
}
