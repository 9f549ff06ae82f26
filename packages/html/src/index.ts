export { htmlToLine, htmlToText } from "./html-to-text.ts";
export { parseBounded } from "./sanitize/bounded-parse.ts";
export { type BodyImage, type SanitizedBody, sanitizeBody, sanitizeHtml } from "./sanitize/sanitize-html.ts";
