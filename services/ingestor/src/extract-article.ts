import { errorCode, errorMessage } from "@babelwire/core";
import { type Db, getArticle, getSource, recordExtraction } from "@babelwire/db";
import { extractArticle, type HostLimiter, type IsolatePool } from "@babelwire/ingest";
import type { JobInfo, JobPayload, Queues } from "@babelwire/queue";
import { queueTranslations } from "./queue-translations.ts";

export interface ExtractDeps {
  db: Db;
  queues: Queues;
  hostLimiter?: HostLimiter;
  /** Readability and the sanitizer in worker threads, under a time limit. */
  isolate?: IsolatePool;
}

/**
 * Links in a feed are hostile: only public addresses are fetched, except on the source's own
 * origin (scheme, host and port), which the operator trusted by adding the source. Not its
 * host on another port, and not wherever that origin redirects to: each hop is checked.
 */
function sourceOrigin(sourceUrl: string): string | undefined {
  try {
    const origin = new URL(sourceUrl).origin;
    return origin === "null" ? undefined : origin;
  } catch {
    return undefined;
  }
}

/**
 * Replaces a summary-only item's text with the article page's main content, then lets the
 * translations go. When the page cannot be had (after the last attempt, or for good), the
 * feed's own text is translated instead: a missing page never holds a story back.
 */
export async function extractFullText(deps: ExtractDeps, payload: JobPayload<"extract">, job: JobInfo) {
  const article = await getArticle(deps.db, payload.articleId);
  if (!article || article.version !== payload.articleVersion) return { outcome: "skipped", reason: "stale version" };
  const source = await getSource(deps.db, article.source_id);
  if (!source) return { outcome: "skipped", reason: "source deleted" };
  if (article.withdrawn_at) return { outcome: "skipped", reason: "article withdrawn" };
  if (!article.extracted_at && article.url) {
    try {
      const page = await extractArticle(article.url, {
        allowPrivate: false,
        trustedOrigin: sourceOrigin(source.url),
        ...(deps.hostLimiter && { hostLimiter: deps.hostLimiter }),
        ...(deps.isolate && { isolate: deps.isolate }),
      });
      await recordExtraction(deps.db, article, { contentHtml: page.contentHtml, contentText: page.contentText });
    } catch (error) {
      const permanent = error instanceof Error && "permanent" in error && error.permanent === true;
      if (!permanent && job.attempt < job.maxAttempts) throw error;
      await recordExtraction(deps.db, article, {
        error: `${errorCode(error, "EXTRACT_FAILED")}: ${errorMessage(error)}`,
      });
    }
  }
  await queueTranslations(deps, source, { ...article, withdrawn: false }, payload.requestId);
  await deps.queues.enqueueSummarize({ articleId: article.id, articleVersion: article.version });
  return { outcome: "extracted" };
}
