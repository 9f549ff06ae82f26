import { summarizeExtractive } from "@babelwire/summarize";

/** What the lead is made from: an article as stored (its columns' names). */
export interface LeadSource {
  summary: string;
  abstract: string | null;
  content_text: string;
  language: string;
}

/**
 * The lead partners get with the article, in its own language: the agency's own summary when
 * the feed had one; when the summary is only the body's opening cut short (a feed without a
 * separate description), the summarizer's abstract, or an extractive summary made now if the
 * summarize job has not finished yet.
 */
export function leadOf(article: LeadSource): string {
  const opening = article.summary.replace(/…$/, "").replace(/\s+/g, " ").trim();
  const body = article.content_text.replace(/\s+/g, " ").trim();
  const cutFromBody = opening.length > 0 && body.startsWith(opening) && body.length > opening.length;
  if (article.summary && !cutFromBody) return article.summary;
  return article.abstract || summarizeExtractive(article.content_text, { lang: article.language, sentences: 3 });
}
