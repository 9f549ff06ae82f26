export type FullTextMode = "auto" | "always" | "never";

/** Below this many characters a feed item is taken for a teaser, not the story. */
const SHORT_TEXT_CHARS = 500;
// Endings that mark a lead cut off by the feed: an ellipsis (bare or bracketed) or a "read more" link's text.
const LEAD_ENDING =
  /(?:…|\.{3}|\[(?:…|\.{3})\]|\b(?:read more|continue reading|read the full (?:story|article)))[\s\])»›→>.:]*$/i;

/**
 * Whether an item's text should be replaced by its web page's main content. `auto` fetches
 * when the feed gave a short text or one that is clearly a lead; nothing is fetched without
 * an http(s) link to fetch.
 */
export function shouldFetchFullText(mode: FullTextMode, article: { contentText: string; url: string | null }): boolean {
  if (mode === "never" || article.url === null || !/^https?:\/\//i.test(article.url)) return false;
  if (mode === "always") return true;
  const text = article.contentText.trim();
  return text.length < SHORT_TEXT_CHARS || LEAD_ENDING.test(text);
}
