import type { DeliveryEvent } from "@babelwire/core";
import {
  type Db,
  ensureDelivery,
  isEntitled,
  listPublished,
  type PublishedItem,
  partnersThatReceived,
  partnersWithWebhooks,
  type TranslationRow,
} from "@babelwire/db";
import type { Queues } from "@babelwire/queue";

/** What announcing needs, webhooks and WebSub alike: the database and the deliver queue. */
export interface AnnounceDeps {
  db: Db;
  queues: Pick<Queues, "enqueueDeliver">;
}

/**
 * Tells the partners concerned of one event of a live translation: a publication or update
 * goes to every partner licensed for its language and source, a withdrawal to every partner
 * that received the item (licensed or not any more). Each gets a `deliveries` row, unique per
 * (partner, translation, event, live version), and a `deliver` job named after that row, so
 * announcing twice sends nothing twice. Returns how many partners it concerns.
 */
export async function announce(
  deps: AnnounceDeps,
  translation: Pick<TranslationRow, "id" | "article_id" | "lang">,
  event: DeliveryEvent,
): Promise<number> {
  const translationId = translation.id;
  // Most deployments have few webhooks, many none: then a publication needs no snapshot read.
  const withWebhooks = event === "withdrawn" ? [] : await partnersWithWebhooks(deps.db);
  if (event !== "withdrawn" && withWebhooks.length === 0) return 0;
  // The live snapshot: its version keys the deliveries, its source decides who is licensed.
  const item = await liveSnapshot(deps.db, translation);
  if (!item) return 0;
  const partnerIds =
    event === "withdrawn"
      ? await partnersThatReceived(deps.db, translationId)
      : withWebhooks.filter((partner) => isEntitled(partner, item)).map((partner) => partner.id);
  for (const partnerId of partnerIds) {
    const delivery = await ensureDelivery(deps.db, {
      partnerId,
      event,
      translationId,
      articleId: item.articleId,
      lang: item.lang,
      liveVersion: item.version,
    });
    // A pending one is enqueued again in case the run before stopped between the row and its job.
    if (delivery.status === "pending") await deps.queues.enqueueDeliver({ deliveryId: delivery.id });
  }
  return partnerIds.length;
}

/**
 * The translation as published now (or as it stood when withdrawn), what both webhooks and WebSub
 * announce: its version keys their delivery rows, so announcing twice sends nothing twice.
 */
export async function liveSnapshot(
  db: Db,
  translation: Pick<TranslationRow, "article_id" | "lang">,
): Promise<PublishedItem | undefined> {
  const [item] = await listPublished(db, {
    articleId: translation.article_id,
    lang: translation.lang,
    withdrawn: true,
    limit: 1,
  });
  return item;
}
