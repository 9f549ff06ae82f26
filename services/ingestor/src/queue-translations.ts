import { type Db, ensureTranslation, type SourceRow } from "@babelwire/db";
import type { Queues } from "@babelwire/queue";

/**
 * Makes sure every target language has a translation row for this article version and, while
 * that row is still queued, a translate job (deterministic id: enqueueing twice is a no-op).
 * A withdrawn article gets nothing: a kill stays a kill whatever its feed item does later.
 */
export async function queueTranslations(
  deps: { db: Db; queues: Queues },
  source: Pick<SourceRow, "targets">,
  article: { id: string; version: number; language: string; withdrawn: boolean },
  requestId?: string,
): Promise<void> {
  if (article.withdrawn) return;
  for (const lang of source.targets) {
    if (lang === article.language) continue;
    const translation = await ensureTranslation(deps.db, article.id, lang, article.version);
    if (translation.status !== "queued") continue;
    await deps.queues.enqueueTranslate({
      articleId: article.id,
      articleVersion: article.version,
      lang,
      ...(requestId && { requestId }),
    });
  }
}
