import { type Db, getArticle, rememberSegments, type TranslationRow } from "@babelwire/db";
import { leadOf } from "../lead.ts";
import { textToHtml } from "../plain-text.ts";
import { memoryPair } from "./translate-with-memory.ts";

/**
 * An editor approved this translation: its title, summary and body segments become `human`
 * memory, which wins over any engine the next time the same source text comes in. Title and
 * summary are learned only when the translation is of the article's current version, since
 * only then is the source text at hand the one the editor read.
 */
export async function learnApprovedTranslation(db: Db, row: TranslationRow): Promise<number> {
  const article = await getArticle(db, row.article_id);
  if (!article) return 0;
  const entries = row.segments.map((segment) => ({ source: segment.source, target: segment.target }));
  if (article.version === row.article_version) {
    if (row.title) entries.push({ source: textToHtml(article.title), target: textToHtml(row.title) });
    if (row.summary) entries.push({ source: textToHtml(leadOf(article)), target: textToHtml(row.summary) });
  }
  return rememberSegments(db, memoryPair(article.language, row.lang), entries, "human");
}
