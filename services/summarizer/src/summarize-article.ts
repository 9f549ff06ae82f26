import { type Db, getArticle, setArticleAbstract } from "@babelwire/db";
import type { JobPayload } from "@babelwire/queue";
import type { Summarizer } from "@babelwire/summarize";

export interface SummarizeDeps {
  db: Db;
  summarizer: Summarizer;
}

/** Writes an abstract of the article in its own language; the translation carries it on as the lead when the feed had none. */
export async function summarizeArticle(deps: SummarizeDeps, payload: JobPayload<"summarize">) {
  const article = await getArticle(deps.db, payload.articleId);
  if (!article) return { outcome: "skipped", reason: "article deleted" };
  if (article.version !== payload.articleVersion) return { outcome: "skipped", reason: "another version is current" };
  const abstract = await deps.summarizer.summarize(article.content_text, article.language);
  await setArticleAbstract(deps.db, article.id, abstract);
  return { outcome: "summarized", summarizer: deps.summarizer.name, characters: abstract.length };
}
