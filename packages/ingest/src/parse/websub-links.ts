import type { WebSubLinks } from "./parsed-feed.ts";
import { localName } from "./xml-element.ts";
import type { XmlElement } from "./xml-tree.ts";

/**
 * The WebSub links a feed carries in its body (WebSub §4): `<link rel="hub">` and
 * `<link rel="self">` in Atom, `<atom:link …>` in an RSS channel, whatever the prefix (FeedBurner
 * writes `atom10:link`). A rel may hold several space-separated values.
 */
export function websubLinksOf(element: XmlElement): WebSubLinks {
  const hubs: string[] = [];
  let self: string | null = null;
  for (const child of element.children) {
    if (typeof child === "string" || localName(child.name) !== "link") continue;
    const href = child.attributes.href?.trim();
    const rels = (child.attributes.rel ?? "").toLowerCase().split(/\s+/);
    if (!href) continue;
    if (rels.includes("hub")) hubs.push(href);
    if (rels.includes("self") && self === null) self = href;
  }
  return { hubs, self };
}
