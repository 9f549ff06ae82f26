import type { Config } from "@babelwire/config";
import { type Db, getTranslation, transitionTranslation } from "@babelwire/db";
import type { JobPayload } from "@babelwire/queue";
import { type FeedGenerationCounter, invalidateFeeds } from "@babelwire/syndicate";

export interface PublishDeps {
  db: Db;
  /** Where the rendered feeds are cached; only INCR is needed to invalidate them. */
  redis: FeedGenerationCounter;
  config: Pick<Config, "QUEUE_PREFIX">;
}

/**
 * Publishes an approved translation. Already published is success (the job ran twice);
 * anything else means the translation moved on since the job was queued.
 */
export async function publishTranslation(deps: PublishDeps, payload: JobPayload<"publish">) {
  const row = await getTranslation(deps.db, payload.translationId);
  if (!row) return { outcome: "skipped", reason: "translation deleted" };
  if (row.status === "published") {
    // The run before may have committed and then failed to reach Redis: bumping twice costs one re-render.
    await invalidateFeeds(deps.redis, deps.config.QUEUE_PREFIX, row.lang);
    return { outcome: "already_published" };
  }
  if (row.status !== "approved") return { outcome: "skipped", reason: `translation is ${row.status}` };
  await transitionTranslation(deps.db, row.id, "publish", { actor: "system" });
  // After the commit, so no feed rendered from the old rows can be cached under the new generation.
  await invalidateFeeds(deps.redis, deps.config.QUEUE_PREFIX, row.lang);
  return { outcome: "published" };
}
