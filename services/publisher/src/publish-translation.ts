import type { Config } from "@babelwire/config";
import type { DeliveryEvent } from "@babelwire/core";
import { advanceTranslation, type Db, getTranslation, type TranslationRow, transitionTranslation } from "@babelwire/db";
import type { JobPayload, Queues } from "@babelwire/queue";
import {
  announceFeedChange,
  type ChangePublisher,
  type FeedGenerationCounter,
  invalidateFeeds,
} from "@babelwire/syndicate";
import { announce } from "./webhooks/announce.ts";
import { announceWebSub } from "./websub/announce-websub.ts";

export interface PublishDeps {
  db: Db;
  /** Where the rendered feeds are cached (INCR invalidates them) and changes are announced (PUBLISH). */
  redis: FeedGenerationCounter & ChangePublisher;
  config: Pick<Config, "QUEUE_PREFIX">;
  /** Where each partner's webhook delivery is queued. */
  queues: Pick<Queues, "enqueueDeliver">;
}

/**
 * Publishes an approved translation and announces it to partners' webhooks. Already published
 * is success (the job ran twice): feeds and webhooks are seen to again, which changes nothing
 * that was done. A withdrawn translation is announced as withdrawn (the withdrawal route queues
 * this job for each language that was live); any other state means the translation moved on.
 */
export async function publishTranslation(deps: PublishDeps, payload: JobPayload<"publish">) {
  // The usual case, an approved translation, in one statement; any other state is read and handled below.
  const published = await advanceTranslation(deps.db, payload.translationId, "approved", [{ action: "publish" }]);
  if (published) return announcePublication(deps, published);
  const row = await getTranslation(deps.db, payload.translationId);
  if (!row) return { outcome: "skipped", reason: "translation deleted" };
  if (row.status === "withdrawn") {
    await announceFeedChange(deps.redis, deps.config.QUEUE_PREFIX, row.lang);
    await announceWebSub(deps, row, "withdrawn");
    return { outcome: "withdrawal_announced", partners: await announce(deps, row, "withdrawn") };
  }
  if (row.status === "published") {
    // The run before may have committed and then failed to reach Redis: bumping twice costs one re-render.
    await invalidateFeeds(deps.redis, deps.config.QUEUE_PREFIX, row.lang);
    await announceFeedChange(deps.redis, deps.config.QUEUE_PREFIX, row.lang);
    await announceWebSub(deps, row, publishEvent(row));
    await announce(deps, row, publishEvent(row));
    return { outcome: "already_published" };
  }
  if (row.status !== "approved") {
    // A newer version went back to the engine since this job was queued (say, right after a
    // reinstatement): the live text is still what partners read, so they still hear of it.
    // Deliveries are unique per live version, so an announcement made before is not repeated.
    if (row.live_at) await announce(deps, row, publishEvent(row));
    return { outcome: "skipped", reason: `translation is ${row.status}` };
  }
  // Approved between the two reads (an editor's decision): publish it as an ordinary transition.
  return announcePublication(deps, await transitionTranslation(deps.db, row.id, "publish", { actor: "system" }));
}

/** After the commit, so no feed rendered from the old rows can be cached under the new generation. */
async function announcePublication(deps: PublishDeps, published: TranslationRow) {
  await invalidateFeeds(deps.redis, deps.config.QUEUE_PREFIX, published.lang);
  // Long-poll sync requests held by any API process read again.
  await announceFeedChange(deps.redis, deps.config.QUEUE_PREFIX, published.lang);
  await announceWebSub(deps, published, publishEvent(published));
  await announce(deps, published, publishEvent(published));
  return { outcome: "published" };
}

/**
 * `published` for a translation's first publication, `updated` for a later live version. The
 * first publication stamps `published_at` and `live_at` with the same instant and later ones
 * move only `live_at`, so a job run again reads the same event from the row.
 */
export function publishEvent(row: Pick<TranslationRow, "published_at" | "live_at">): DeliveryEvent {
  return row.published_at !== null && row.published_at.getTime() === row.live_at?.getTime() ? "published" : "updated";
}
