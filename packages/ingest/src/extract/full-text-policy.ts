export type FullTextMode = "auto" | "always" | "never";

/** Below this many characters a feed item is taken for a teaser, not the story. */
const SHORT_TEXT_CHARS = 500;
// Endings that mark a lead cut off by the feed: an ellipsis (bare or bracketed) or a "read more"
// link's text, followed by nothing but spaces, brackets, arrows and dots. Written as one
// regular expression anchored at the end, that took quadratic time on a long run of dots not
// at the end (100 KB took 11 s): each dot started a match that ran to the run's end. So the
// trailing run is found by one backward scan, and the words before it are matched on a short
// window. A bracketed ellipsis is a bare one followed by "]", so it needs no case of its own.
const TRAILING = /[\s\])»›→>.:]/;
const LEAD_WORDS = /(?:…|\b(?:read more|continue reading|read the full (?:story|article)))$/i;
// The longest lead words plus the character before them, which \b looks at.
const WORDS_WINDOW = 40;

/**
 * Whether an item's text should be replaced by its web page's main content. `auto` fetches
 * when the feed gave a short text or one that is clearly a lead; nothing is fetched without
 * an http(s) link to fetch.
 */
export function shouldFetchFullText(mode: FullTextMode, article: { contentText: string; url: string | null }): boolean {
  if (mode === "never" || article.url === null || !/^https?:\/\//i.test(article.url)) return false;
  if (mode === "always") return true;
  const text = article.contentText.trim();
  return text.length < SHORT_TEXT_CHARS || endsAsLead(text);
}

function endsAsLead(text: string): boolean {
  let runStart = text.length;
  while (runStart > 0 && TRAILING.test(text.charAt(runStart - 1))) runStart--;
  if (text.includes("...", runStart)) return true;
  return LEAD_WORDS.test(text.slice(Math.max(0, runStart - WORDS_WINDOW), runStart));
}
