import { byteLength, type ParsedMedia } from "./parsed-feed.ts";
import { childNamed, childrenNamed, markupOf, textOf } from "./xml-element.ts";
import type { XmlElement } from "./xml-tree.ts";

/** Fields RSS items and Atom entries write alike: people, categories, media. */

/**
 * The people an item names: dc:creator (and the non-standard dc:author feeds write), author
 * elements whether they hold a name, an e-mail form or an Atom <name> or <email>, and iTunes'
 * itunes:author, which podcasts' feeds often give alone.
 */
export function authorsOf(item: XmlElement): string[] {
  const named = (name: string) => childrenNamed(item, name).map((person) => personName(textOf(person)));
  const authors = childrenNamed(item, "author").map(
    (author) => textOf(childNamed(author, "name")) ?? personName(textOf(author)) ?? textOf(childNamed(author, "email")),
  );
  return [...named("dc:creator"), ...named("dc:author"), ...authors, ...named("itunes:author")].filter(
    (name): name is string => name !== null,
  );
}

const EMAIL = /^[^\s@()<>]+@[^\s@()<>]+$/;

/**
 * RSS <author> and dc:creator hold a name, an e-mail address or both: "jo@x.org (Jo Doe)",
 * "Jo Doe (jo@x.org)", "Jo Doe <jo@x.org>". The name is kept, the address only when alone.
 */
export function personName(text: string | null): string | null {
  if (text === null) return null;
  const parenthesized = groupAtEnd(text, "(", ")", 0);
  if (parenthesized !== null && parenthesized.inside !== "") {
    const outside = parenthesized.before.trim();
    const inside = parenthesized.inside.trim();
    if (EMAIL.test(outside)) return inside;
    if (EMAIL.test(inside) && outside !== "") return outside;
    return text;
  }
  const angled = groupAtEnd(text, "<", ">", 1);
  return angled?.inside.includes("@") ? angled.before : text;
}

const WHITESPACE = /\s/;
const LINE_TERMINATOR = /[\n\r\u2028\u2029]/;

/**
 * The group in `open`…`close` that ends the text (whitespace after it aside) and holds no
 * `close`, opened as early as it can be, with what comes before it (at least `minBefore`
 * characters, on one line, whitespace before the group left out). What
 * `/^(.*?)\s*\(([^)]+)\)\s*$/` and `/^(.+?)\s*<[^>]*@[^>]*>\s*$/` matched, found with a few
 * scans: those expressions backtracked in cubic time on hostile names (1 MB of "<@" never
 * ended, 20 KB of "(" took a second).
 */
function groupAtEnd(
  text: string,
  open: string,
  close: string,
  minBefore: number,
): { before: string; inside: string } | null {
  const trimmed = text.trimEnd();
  const end = trimmed.length - 1;
  if (end < 0 || trimmed.charAt(end) !== close) return null;
  const start = trimmed.indexOf(open, Math.max(minBefore, trimmed.lastIndexOf(close, end - 1) + 1));
  if (start === -1) return null;
  let beforeEnd = start;
  while (beforeEnd > minBefore && WHITESPACE.test(trimmed.charAt(beforeEnd - 1))) beforeEnd--;
  const before = trimmed.slice(0, beforeEnd);
  return LINE_TERMINATOR.test(before) ? null : { before, inside: trimmed.slice(start + 1, end) };
}

/**
 * An item's categories in the order the feed gives them: RSS categories and dc:subject hold
 * their name as text, Atom's say it in label (for people) or term; Media RSS's media:category
 * (also inside media:group) holds it as text, iTunes' itunes:category in `text`, with
 * subcategories nested inside; a `<tags>` element lists them separated by commas.
 */
export function categoriesOf(item: XmlElement): string[] {
  const names: Array<string | null> = [];
  for (const child of item.children) {
    if (typeof child === "string") continue;
    switch (child.name) {
      case "category":
      case "dc:subject":
        names.push(textOf(child) ?? child.attributes.label ?? child.attributes.term ?? null);
        break;
      case "media:category":
        names.push(textOf(child));
        break;
      case "media:group":
        for (const category of childrenNamed(child, "media:category")) names.push(textOf(category));
        break;
      case "itunes:category":
        names.push(...itunesCategories(child));
        break;
      case "tags":
        names.push(
          ...(textOf(child)
            ?.split(",")
            .map((tag) => tag.trim()) ?? []),
        );
        break;
    }
  }
  return names.filter((name): name is string => name !== null && name.trim() !== "");
}

function itunesCategories(category: XmlElement): string[] {
  const name = category.attributes.text?.trim();
  const nested = childrenNamed(category, "itunes:category").flatMap(itunesCategories);
  return name ? [name, ...nested] : nested;
}

/**
 * Where an item has no title or description of its own, extensions may: Dublin Core's
 * dc:title and dc:description, iTunes' itunes:summary, Media RSS's media:title and
 * media:description at the item's level or in its media:group (YouTube's feeds put them there).
 */
export function extensionTitleOf(item: XmlElement): string | null {
  return markupOf(childNamed(item, "dc:title")) ?? mediaText(item, "media:title");
}

export function extensionDescriptionOf(item: XmlElement): string | null {
  return (
    markupOf(childNamed(item, "dc:description")) ??
    markupOf(childNamed(item, "itunes:summary")) ??
    mediaText(item, "media:description")
  );
}

function mediaText(item: XmlElement, name: string): string | null {
  return markupOf(childNamed(item, name)) ?? markupOf(childNamed(childNamed(item, "media:group"), name));
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
  return { url: trimmed, type: type ? type : null, caption, length: byteLength(typed?.attributes.length) };
}

function captionOf(content: XmlElement): string | null {
  return textOf(childNamed(content, "media:description")) ?? textOf(childNamed(content, "media:title"));
}

/** An element's own xml:lang, as Atom entries and some RSS items state their language. */
export function xmlLangOf(element: XmlElement | undefined): string | null {
  const lang = element?.attributes["xml:lang"]?.trim();
  return lang ? lang : null;
}
