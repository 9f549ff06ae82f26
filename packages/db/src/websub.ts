import { type DeliveryEvent, newId } from "@babelwire/core";
import { type Selectable, sql } from "kysely";
import type { Db } from "./connect.ts";
import type { WebSubDeliveriesTable, WebSubFormat, WebSubMode, WebSubSubscriptionsTable } from "./schema.ts";

export type WebSubSubscriptionRow = Selectable<WebSubSubscriptionsTable>;
export type WebSubDeliveryRow = Selectable<WebSubDeliveriesTable>;

/** A subscriber's request as the hub took it: which feed, under which token, and what it asks. */
export interface WebSubIntent {
  callback: string;
  topic: string;
  lang: string;
  format: WebSubFormat;
  sourceFilter: string | null;
  category: string | null;
  itemLimit: number;
  tokenId: string;
  mode: WebSubMode;
  secret: string | null;
  leaseSeconds: number;
}

/**
 * Records a subscribe or unsubscribe request for (callback, topic) and returns its intent id,
 * new on every request: the verification job is named after it, and a later request makes an
 * earlier one's verification moot. A live subscription stays as it is until the callback
 * confirms the new intent.
 */
export async function requestWebSubIntent(db: Db, intent: WebSubIntent): Promise<string> {
  const intentId = newId();
  const now = new Date();
  const requested = {
    intent_id: intentId,
    intent_mode: intent.mode,
    intent_secret: intent.secret,
    intent_lease_seconds: intent.leaseSeconds,
    token_id: intent.tokenId,
    updated_at: now,
  };
  await db
    .insertInto("websub_subscriptions")
    .values({
      id: newId(),
      callback: intent.callback,
      topic: intent.topic,
      lang: intent.lang,
      format: intent.format,
      source_filter: intent.sourceFilter,
      category: intent.category,
      item_limit: intent.itemLimit,
      ...requested,
    })
    .onConflict((oc) => oc.columns(["callback", "topic"]).doUpdateSet(requested))
    .execute();
  return intentId;
}

/** A pending request with what verifying it needs: whether its token still lives, and its partner's address policy. */
export interface WebSubIntentTarget extends WebSubSubscriptionRow {
  token_live: boolean;
  allow_private_webhook: boolean;
}

export async function getWebSubIntent(db: Db, intentId: string): Promise<WebSubIntentTarget | undefined> {
  return db
    .selectFrom("websub_subscriptions as w")
    .innerJoin("tokens as t", "t.id", "w.token_id")
    .leftJoin("partners as p", "p.id", "t.partner_id")
    .selectAll("w")
    .select([
      liveToken.as("token_live"),
      sql<boolean>`coalesce(p.allow_private_webhook, false)`.as("allow_private_webhook"),
    ])
    .where("w.intent_id", "=", intentId)
    .executeTakeFirst();
}

/** A token that may still read: not revoked, not expired, and a partner token's partner still there. */
const liveToken = sql<boolean>`(t.revoked_at is null and (t.expires_at is null or t.expires_at > now())
  and (t.role <> 'partner' or p.id is not null))`;

/**
 * The callback confirmed the intent: a subscription becomes active for its lease (from now, so
 * a renewal extends it), an unsubscription ends it. Does nothing when a newer request replaced it.
 */
export async function confirmWebSubIntent(db: Db, intentId: string): Promise<WebSubSubscriptionRow | undefined> {
  const now = new Date();
  return db
    .updateTable("websub_subscriptions")
    .set((eb) => ({
      state: sql`case when intent_mode = 'subscribe' then 'active' else 'ended' end`,
      secret: sql`case when intent_mode = 'subscribe' then intent_secret else secret end`,
      lease_seconds: eb.ref("intent_lease_seconds"),
      expires_at: sql`case when intent_mode = 'subscribe'
        then ${now}::timestamptz + make_interval(secs => intent_lease_seconds) else expires_at end`,
      verified_at: now,
      last_error: null,
      updated_at: now,
    }))
    .where("intent_id", "=", intentId)
    .returningAll()
    .executeTakeFirst();
}

/**
 * The callback refused the intent (or could not be reached). A subscription that never became
 * active is denied; a live one stays live (a failed renewal or unsubscription changes nothing),
 * with the reason kept where the operator looks.
 */
export async function refuseWebSubIntent(db: Db, intentId: string, reason: string): Promise<void> {
  await db
    .updateTable("websub_subscriptions")
    .set({
      state: sql`case when state = 'active' then 'active' else 'denied' end`,
      last_error: reason,
      updated_at: new Date(),
    })
    .where("intent_id", "=", intentId)
    .execute();
}

/** Ends a subscription for good: its callback answered 410, or its token or partner is gone. */
export async function endWebSubSubscription(db: Db, id: string, reason: string): Promise<void> {
  await db
    .updateTable("websub_subscriptions")
    .set({ state: "ended", last_error: reason, updated_at: new Date() })
    .where("id", "=", id)
    .execute();
}

/** An active subscription with the licence of its token: who may receive which items. */
export interface WebSubAudience extends WebSubSubscriptionRow {
  role: "admin" | "editor" | "partner";
  partner_id: string | null;
  /** The partner's licence; null for admin and editor tokens, which read everything. */
  languages: string[] | null;
  sources: string[] | null;
  allow_private_webhook: boolean;
  token_live: boolean;
}

const audience = (db: Db) =>
  db
    .selectFrom("websub_subscriptions as w")
    .innerJoin("tokens as t", "t.id", "w.token_id")
    .leftJoin("partners as p", "p.id", "t.partner_id")
    .selectAll("w")
    .select([
      "t.role",
      "t.partner_id",
      "p.languages",
      "p.sources",
      sql<boolean>`coalesce(p.allow_private_webhook, false)`.as("allow_private_webhook"),
      liveToken.as("token_live"),
    ]);

/** Active, unexpired subscriptions to feeds of a language: whom a change in it may concern. */
export async function activeWebSubSubscriptions(db: Db, lang: string): Promise<WebSubAudience[]> {
  return audience(db)
    .where("w.lang", "=", lang)
    .where("w.state", "=", "active")
    .where("w.expires_at", ">", sql<Date>`now()`)
    .execute();
}

/** One subscription's new content to send: its row is what the job and the delivery log name. */
export async function ensureWebSubDelivery(
  db: Db,
  input: { subscriptionId: string; translationId: string; event: DeliveryEvent; liveVersion: number },
): Promise<WebSubDeliveryRow> {
  const now = new Date();
  const key = {
    subscription_id: input.subscriptionId,
    translation_id: input.translationId,
    event: input.event,
    live_version: input.liveVersion,
  };
  await db
    .insertInto("websub_deliveries")
    .values({ id: newId(), ...key, created_at: now, updated_at: now })
    .onConflict((oc) => oc.columns(["subscription_id", "translation_id", "event", "live_version"]).doNothing())
    .execute();
  return db
    .selectFrom("websub_deliveries")
    .selectAll()
    .where((eb) => eb.and(key))
    .executeTakeFirstOrThrow();
}

export interface WebSubDeliveryTarget {
  delivery: WebSubDeliveryRow;
  subscription: WebSubAudience;
}

export async function getWebSubDeliveryTarget(db: Db, id: string): Promise<WebSubDeliveryTarget | undefined> {
  const delivery = await db.selectFrom("websub_deliveries").selectAll().where("id", "=", id).executeTakeFirst();
  if (!delivery) return undefined;
  const subscription = await audience(db).where("w.id", "=", delivery.subscription_id).executeTakeFirst();
  return subscription && { delivery, subscription };
}

/** Every subscription, newest first, for operators; the secrets stay in the database. */
export async function listWebSubSubscriptions(db: Db, limit: number): Promise<WebSubSubscriptionRow[]> {
  return db
    .selectFrom("websub_subscriptions")
    .selectAll()
    .orderBy("created_at", "desc")
    .orderBy("id")
    .limit(limit)
    .execute();
}

/** One subscription's delivery log, newest first. */
export async function listWebSubDeliveries(
  db: Db,
  subscriptionId: string,
  limit: number,
): Promise<WebSubDeliveryRow[]> {
  return db
    .selectFrom("websub_deliveries")
    .selectAll()
    .where("subscription_id", "=", subscriptionId)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
}

/** Deliveries and verifications not yet done: what a lost Redis must get queued again. */
export async function listPendingWebSubJobs(
  db: Db,
  limit: number,
): Promise<{ deliveries: string[]; intents: string[] }> {
  const deliveries = await db
    .selectFrom("websub_deliveries")
    .select("id")
    .where("status", "=", "pending")
    .orderBy("created_at")
    .limit(limit)
    .execute();
  const intents = await db
    .selectFrom("websub_subscriptions")
    .select("intent_id")
    .where("state", "=", "pending")
    .orderBy("created_at")
    .limit(limit)
    .execute();
  return { deliveries: deliveries.map((row) => row.id), intents: intents.map((row) => row.intent_id) };
}
