import { IMAGE_SCHEMES, LINK_REL, LINK_SCHEMES } from "./allowlist.ts";

/** An element's attributes as htmlparser2 gives them, name to value. */
export type Attributes = Record<string, string>;

/** A link's attributes with its href absolute (or gone) and, when it has one, our rel. */
export function linkAttributes(attribs: Attributes, baseUrl: string | null): Attributes {
  const href = attribs.href === undefined ? null : absoluteUrl(attribs.href, baseUrl, LINK_SCHEMES);
  const result = withUrl(attribs, "href", href);
  if (href !== null) result.rel = LINK_REL;
  return result;
}

export function imageAttributes(attribs: Attributes, baseUrl: string | null): Attributes {
  const src = attribs.src === undefined ? null : absoluteUrl(attribs.src, baseUrl, IMAGE_SCHEMES);
  return withUrl(attribs, "src", src);
}

/** Replaces (or, when null, removes) one URL attribute, keeping the attributes' order. */
function withUrl(attribs: Attributes, name: string, url: string | null): Attributes {
  const result: Attributes = {};
  for (const [key, value] of Object.entries(attribs)) {
    if (key !== name) result[key] = value;
    else if (url !== null) result[key] = url;
  }
  return result;
}

/**
 * Resolves a URL and keeps it only with an allowed scheme. A relative URL with no base to
 * resolve against is dropped: it would point at whatever site republishes the body.
 */
function absoluteUrl(value: string, baseUrl: string | null, schemes: string[]): string | null {
  try {
    const url = new URL(value.trim(), baseUrl ?? undefined);
    return schemes.includes(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}
