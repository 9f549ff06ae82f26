export { BLOCK_ELEMENTS } from "./block-elements.ts";
export { decodeEntities, decodeEntity, ENTITY_REFERENCE } from "./entities.ts";
export { escapeHtml, escapeHtmlAttribute } from "./escape.ts";
export { htmlToLine, htmlToText, textNodesToLine, textToHtml } from "./html-text.ts";
export { type HtmlToken, tokenizeHtml } from "./html-tokens.ts";
export { parseBounded } from "./sanitize/bounded-parse.ts";
export { type BodyImage, type SanitizedBody, sanitizeBody, sanitizeHtml } from "./sanitize/sanitize-html.ts";
