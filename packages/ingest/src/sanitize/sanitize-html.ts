import sanitize from "sanitize-html";

const ALLOWED_TAGS = [
  "p",
  "br",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "strong",
  "b",
  "em",
  "i",
  "u",
  "s",
  "blockquote",
  "q",
  "cite",
  "ul",
  "ol",
  "li",
  "a",
  "img",
  "figure",
  "figcaption",
  "table",
  "thead",
  "tbody",
  "tr",
  "th",
  "td",
  "pre",
  "code",
  "sup",
  "sub",
  "hr",
];

// Dropped together with everything inside them: their content is code, widgets or fallbacks,
// never article text.
const DROPPED_WITH_CONTENT = [
  "script",
  "style",
  "iframe",
  "object",
  "embed",
  "form",
  "noscript",
  "template",
  "svg",
  "math",
  "textarea",
  "select",
  "option",
  "button",
  "title",
  "head",
  "frameset",
  "noframes",
  "noembed",
  "xmp",
];

const LINK_REL = "noopener noreferrer nofollow";
const LINK_SCHEMES = ["http:", "https:", "mailto:"];
const IMAGE_SCHEMES = ["http:", "https:"];

/**
 * Allowlist sanitizing of a news body before storage: structure, emphasis, links, images,
 * tables and code survive; scripts, styles, handlers, embeds and dangerous URLs do not.
 * Relative links and images are made absolute against `baseUrl` so the body still works once
 * it is republished somewhere else.
 */
export function sanitizeHtml(html: string, baseUrl: string | null): string {
  return sanitize(html, {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: {
      a: ["href", "title", "rel"],
      img: ["src", "alt", "title", "width", "height"],
      th: ["colspan", "rowspan"],
      td: ["colspan", "rowspan"],
    },
    allowedSchemes: ["http", "https", "mailto"],
    allowedSchemesByTag: { img: ["http", "https"] },
    allowProtocolRelative: false,
    disallowedTagsMode: "discard",
    nonTextTags: DROPPED_WITH_CONTENT,
    transformTags: {
      h1: "h2",
      a: (tagName, attribs) => ({ tagName, attribs: linkAttributes(attribs, baseUrl) }),
      img: (tagName, attribs) => ({ tagName, attribs: imageAttributes(attribs, baseUrl) }),
    },
    exclusiveFilter: (frame) => isTrackingPixel(frame) || isEmptyParagraph(frame),
  }).trim();
}

function linkAttributes(attribs: sanitize.Attributes, baseUrl: string | null): sanitize.Attributes {
  const href = attribs.href === undefined ? null : absoluteUrl(attribs.href, baseUrl, LINK_SCHEMES);
  const result = withUrl(attribs, "href", href);
  return href === null ? result : { ...result, rel: LINK_REL };
}

function imageAttributes(attribs: sanitize.Attributes, baseUrl: string | null): sanitize.Attributes {
  const src = attribs.src === undefined ? null : absoluteUrl(attribs.src, baseUrl, IMAGE_SCHEMES);
  return withUrl(attribs, "src", src);
}

/** Replaces (or, when null, removes) one URL attribute, keeping the attributes' order. */
function withUrl(attribs: sanitize.Attributes, name: string, url: string | null): sanitize.Attributes {
  return Object.fromEntries(
    Object.entries(attribs).flatMap(([key, value]) => {
      if (key !== name) return [[key, value]];
      return url === null ? [] : [[key, url]];
    }),
  );
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

function isTrackingPixel(frame: sanitize.IFrame): boolean {
  if (frame.tag !== "img") return false;
  if (frame.attribs.src === undefined) return true;
  return isTiny(frame.attribs.width) || isTiny(frame.attribs.height);
}

function isTiny(dimension: string | undefined): boolean {
  return dimension !== undefined && /^\s*[01](px)?\s*$/i.test(dimension);
}

function isEmptyParagraph(frame: sanitize.IFrame): boolean {
  return frame.tag === "p" && frame.text.trim() === "" && frame.mediaChildren.length === 0;
}
