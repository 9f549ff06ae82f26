/**
 * What a sanitized body may hold (POLICY.md and issue 3): structure, emphasis, links, images,
 * tables and code. Everything else is dropped; for the tags below, their content too.
 */
export const ALLOWED_TAGS = new Set([
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
]);

/** h1 is the page's own title wherever the body is republished. */
export const RENAMED_TAGS: ReadonlyMap<string, string> = new Map([["h1", "h2"]]);

export const ALLOWED_ATTRIBUTES: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ["a", new Set(["href", "title", "rel"])],
  ["img", new Set(["src", "alt", "title", "width", "height"])],
  ["th", new Set(["colspan", "rowspan"])],
  ["td", new Set(["colspan", "rowspan"])],
]);

/** An empty alt says "decorative"; every other attribute is dropped when empty. */
export const EMPTY_ALLOWED = "alt";

// Dropped together with everything inside them: their content is code, widgets or fallbacks,
// never article text.
export const DROPPED_WITH_CONTENT = new Set([
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
]);

/** Written as `<br />`: elements without content. */
export const VOID_TAGS = new Set(["img", "br", "hr"]);

/** Children that keep a paragraph without text from counting as empty. */
export const MEDIA_TAGS = new Set(["img", "audio", "video", "picture", "svg", "object", "map", "iframe", "embed"]);

export const LINK_REL = "noopener noreferrer nofollow";
export const LINK_SCHEMES = ["http:", "https:", "mailto:"];
export const IMAGE_SCHEMES = ["http:", "https:"];
