import { type Db, getArticle, rememberSegments, type TranslationRow } from "@babelwire/db";
import { leadOf } from "../lead.ts";
import { textToHtml } from "../plain-text.ts";
import { alignSentences, type SentencePair } from "../segment/align.ts";
import { createSentenceSplitter } from "../segment/sentences.ts";
import { memoryPair } from "./translate-with-memory.ts";

/**
 * An editor approved this translation: its title, summary and body segments become `human`
 * memory, which wins over any engine the next time the same source text comes in. Title and
 * summary are learned only when the translation is of the article's current version, since
 * only then is the source text at hand the one the editor read.
 *
 * Each segment's sentences are learned too when they align with the translation's (as many, in
 * order, numbers kept): when one sentence of the paragraph changes later, the others keep the
 * editor's wording instead of the engine's.
 */
export async function learnApprovedTranslation(db: Db, row: TranslationRow): Promise<number> {
  const article = await getArticle(db, row.article_id);
  if (!article) return 0;
  const entries: SentencePair[] = row.segments.map((segment) => ({ source: segment.source, target: segment.target }));
  if (article.version === row.article_version) {
    if (row.title) entries.push({ source: textToHtml(article.title), target: textToHtml(row.title) });
    if (row.summary) entries.push({ source: textToHtml(leadOf(article)), target: textToHtml(row.summary) });
  }
  const sentences = alignSentences(createSentenceSplitter(article.language), createSentenceSplitter(row.lang), "html");
  return rememberSegments(
    db,
    memoryPair(article.language, row.lang),
    [...entries, ...entries.flatMap(sentences)],
    "human",
  );
}
