import type { ParsedMedia } from "./parsed-feed.ts";
import { childNamed, childrenNamed, textOf } from "./xml-element.ts";
import type { XmlElement } from "./xml-tree.ts";

/** Fields RSS items and Atom entries write alike: people, categories, media. */

/** dc:creator and author elements, whether they hold a name or an Atom <name>. */
export function authorsOf(item: XmlElement): string[] {
  const creators = childrenNamed(item, "dc:creator").map((creator) => personName(textOf(creator)));
  const authors = childrenNamed(item, "author").map(
    (author) => textOf(childNamed(author, "name")) ?? personName(textOf(author)),
  );
  return [...creators, ...authors].filter((name): name is string => name !== null);
}

const EMAIL = /^[^\s@()<>]+@[^\s@()<>]+$/;

/**
 * RSS <author> and dc:creator hold a name, an e-mail address or both: "jo@x.org (Jo Doe)",
 * "Jo Doe (jo@x.org)", "Jo Doe <jo@x.org>". The name is kept, the address only when alone.
 */
export function personName(text: string | null): string | null {
  if (text === null) return null;
  const parenthesized = text.match(/^(.*?)\s*\(([^)]+)\)\s*$/);
  if (parenthesized) {
    const [, outside = "", inside = ""] = parenthesized;
    if (EMAIL.test(outside.trim())) return inside.trim();
    if (EMAIL.test(inside.trim()) && outside.trim() !== "") return outside.trim();
    return text;
  }
  return text.match(/^(.+?)\s*<[^>]*@[^>]*>\s*$/)?.[1] ?? text;
}

/** RSS categories hold their name as text; Atom's say it in label (for people) or term. */
export function categoriesOf(item: XmlElement): string[] {
  return [...childrenNamed(item, "category"), ...childrenNamed(item, "dc:subject")]
    .map((category) => textOf(category) ?? category.attributes.label ?? category.attributes.term ?? null)
    .filter((name): name is string => name !== null);
}

/** Enclosures, Atom enclosure links, media:content and thumbnails (also inside media:group). */
export function mediaOf(item: XmlElement): ParsedMedia[] {
  const itemCaption = textOf(childNamed(item, "media:description"));
  const groups = childrenNamed(item, "media:group");
  const inGroups = (name: string) => groups.flatMap((group) => childrenNamed(group, name));
  const contents = [...childrenNamed(item, "media:content"), ...inGroups("media:content")];
  const thumbnails = [...childrenNamed(item, "media:thumbnail"), ...inGroups("media:thumbnail")];
  const enclosureLinks = childrenNamed(item, "link").filter((link) => link.attributes.rel === "enclosure");
  return [
    ...childrenNamed(item, "enclosure").map((enclosure) => medium(enclosure.attributes.url, enclosure, null)),
    ...enclosureLinks.map((link) => medium(link.attributes.href, link, link.attributes.title ?? null)),
    ...contents.map((content) => medium(content.attributes.url, content, captionOf(content) ?? itemCaption)),
    ...thumbnails.map((thumbnail) => medium(thumbnail.attributes.url, undefined, null)),
  ].filter((media): media is ParsedMedia => media !== null);
}

function medium(url: string | undefined, typed: XmlElement | undefined, caption: string | null): ParsedMedia | null {
  const trimmed = url?.trim();
  if (!trimmed) return null;
  const type = typed?.attributes.type?.trim();
  return { url: trimmed, type: type ? type : null, caption };
}

function captionOf(content: XmlElement): string | null {
  return textOf(childNamed(content, "media:description")) ?? textOf(childNamed(content, "media:title"));
}

/** An element's own xml:lang, as Atom entries and some RSS items state their language. */
export function xmlLangOf(element: XmlElement | undefined): string | null {
  const lang = element?.attributes["xml:lang"]?.trim();
  return lang ? lang : null;
}
