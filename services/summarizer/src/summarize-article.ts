import { type Db, getArticle, setArticleAbstract } from "@babelwire/db";
import type { JobPayload } from "@babelwire/queue";
import { summarizeExtractive } from "@babelwire/summarize";

export interface SummarizeDeps {
  db: Db;
}

/** Writes an extractive abstract of the article in its own language; the translation carries it on. */
export async function summarizeArticle(deps: SummarizeDeps, payload: JobPayload<"summarize">) {
  const article = await getArticle(deps.db, payload.articleId);
  if (!article) return { outcome: "skipped", reason: "article deleted" };
  if (article.version !== payload.articleVersion) return { outcome: "skipped", reason: "another version is current" };
  const abstract = summarizeExtractive(article.content_text, { lang: article.language, sentences: 3 });
  await setArticleAbstract(deps.db, article.id, abstract);
  return { outcome: "summarized", sentences: abstract ? abstract.split(/(?<=[.!?])\s+/).length : 0 };
}
