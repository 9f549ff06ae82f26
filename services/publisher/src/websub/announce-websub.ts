import type { DeliveryEvent } from "@babelwire/core";
import {
  activeWebSubSubscriptions,
  endWebSubSubscription,
  ensureWebSubDelivery,
  isEntitled,
  type TranslationRow,
  type WebSubAudience,
} from "@babelwire/db";
import { type AnnounceDeps, liveSnapshot } from "../webhooks/announce.ts";
import { TOKEN_DEAD } from "./hub-jobs.ts";

/**
 * Queues the new content of every subscribed feed that a publication, update or withdrawal
 * changed: active subscriptions in the language whose token may read the item and whose
 * topic's filters (source, category) let it in. One delivery row per subscription and live
 * version, so announcing twice sends nothing twice. Returns how many subscriptions it concerns.
 */
export async function announceWebSub(
  deps: AnnounceDeps,
  translation: Pick<TranslationRow, "id" | "article_id" | "lang">,
  event: DeliveryEvent,
): Promise<number> {
  const subscriptions = [];
  for (const subscription of await activeWebSubSubscriptions(deps.db, translation.lang)) {
    // A revoked token (or a removed partner) ends its subscriptions: they read with its licence.
    if (subscription.token_live) subscriptions.push(subscription);
    else await endWebSubSubscription(deps.db, subscription.id, TOKEN_DEAD);
  }
  if (subscriptions.length === 0) return 0;
  const item = await liveSnapshot(deps.db, translation);
  if (!item) return 0;
  const concerned = subscriptions.filter((subscription) => shows(subscription, item));
  for (const subscription of concerned) {
    const delivery = await ensureWebSubDelivery(deps.db, {
      subscriptionId: subscription.id,
      translationId: translation.id,
      event,
      liveVersion: item.version,
    });
    if (delivery.status === "pending") await deps.queues.enqueueDeliver({ deliveryId: delivery.id, websub: "content" });
  }
  return concerned.length;
}

/** Whether the subscribed feed holds (or held, for a withdrawal) this item. */
function shows(subscription: WebSubAudience, item: { sourceId: string; categories: string[]; lang: string }): boolean {
  if (subscription.source_filter && subscription.source_filter !== item.sourceId) return false;
  if (subscription.category && !item.categories.includes(subscription.category)) return false;
  if (subscription.role !== "partner") return true;
  return isEntitled({ languages: subscription.languages ?? [], sources: subscription.sources }, item);
}
