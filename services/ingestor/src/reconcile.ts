import { type Db, forgetFeedFingerprints, listPendingTranslations, listSources } from "@babelwire/db";
import type { Queues } from "@babelwire/queue";

/**
 * Redis can be lost without losing an article: this re-creates every source's poll schedule
 * and re-enqueues whatever the database says is pending. Job ids are deterministic, so work
 * that is still queued is not doubled. Work the database does not record as pending (an
 * article's page to fetch) is queued again by each source's next poll, which it makes a full
 * one: a feed unchanged since its last poll is otherwise not stored again (feedFingerprint).
 */
export async function reconcile(
  db: Db,
  queues: Queues,
): Promise<{ schedules: number; translations: number; publishes: number }> {
  await forgetFeedFingerprints(db);
  const sources = await listSources(db);
  // A paused source has no schedule; resuming it gives it one again.
  for (const source of sources) if (!source.paused) await queues.schedulePoll(source.id);
  const pending = await listPendingTranslations(db);
  let translations = 0;
  let publishes = 0;
  for (const row of pending) {
    if (row.status === "approved") {
      await queues.enqueuePublish({ translationId: row.id });
      publishes++;
    } else {
      await queues.enqueueTranslate({ articleId: row.article_id, articleVersion: row.article_version, lang: row.lang });
      translations++;
    }
  }
  return { schedules: sources.length, translations, publishes };
}
