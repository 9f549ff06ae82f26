import { Readability } from "@mozilla/readability";
import { parseHTML } from "linkedom";
import { boundedPage } from "./bounded-page.ts";

export interface ReadableContent {
  title: string | null;
  /** Readability's output: the main content, not yet sanitized. */
  html: string;
  byline: string | null;
}

/**
 * Finds the main content of a web page with Readability over linkedom, a DOM that runs no
 * scripts and loads nothing. Returns null when there is no page to read or no content in it.
 * The page is read with its nesting capped first (boundedPage): Readability recurses and walks
 * ancestors, so a deep page would take quadratic time or overflow the stack.
 */
export function readableContent(html: string, pageUrl: string): ReadableContent | null {
  const { document } = parseHTML(boundedPage(html));
  if (!document.documentElement || !document.body) return null;
  setBaseUrl(document, pageUrl);
  const article = new Readability(document).parse();
  if (!article?.content) return null;
  return { title: article.title?.trim() || null, html: article.content, byline: article.byline?.trim() || null };
}

/**
 * Readability makes links absolute against the document's base URL, which linkedom takes from
 * a `<base href>` only; so the page's URL (or its base resolved against it) is set as one.
 */
function setBaseUrl(document: ReturnType<typeof parseHTML>["document"], pageUrl: string): void {
  let base = document.querySelector("base[href]");
  const href = resolvedUrl(base?.getAttribute("href") ?? "", pageUrl) ?? pageUrl;
  if (!base) {
    base = document.createElement("base");
    (document.head ?? document.documentElement).prepend(base);
  }
  base.setAttribute("href", href);
}

function resolvedUrl(value: string, pageUrl: string): string | null {
  try {
    return value === "" ? null : new URL(value, pageUrl).href;
  } catch {
    return null;
  }
}
