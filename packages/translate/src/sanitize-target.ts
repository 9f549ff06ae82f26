import { sanitizeHtml } from "@babelwire/html";

/**
 * What an engine (a language model above all) or an editor writes is held to the same rules as
 * the agency's HTML before partners can see it: translation output is input too.
 */
export function sanitizeTarget(html: string): string {
  return sanitizeHtml(html, null);
}
