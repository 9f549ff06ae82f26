const ELLIPSIS = "…";

/** Cuts text to at most `limit` characters at a word boundary, marking the cut. */
export function truncateAtWord(text: string, limit: number): string {
  if (text.length <= limit) return text;
  let cut = text.slice(0, limit - ELLIPSIS.length);
  // Never half of a surrogate pair: alone, it is not text any more.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  const lastSpace = cut.lastIndexOf(" ");
  // A single enormous "word" (a URL, CJK text without spaces) is cut where it is.
  const end = lastSpace > limit / 2 ? lastSpace : cut.length;
  return `${cut.slice(0, end).replace(/[\s,;:.–—-]+$/, "")}${ELLIPSIS}`;
}
