import { type DeliveryEvent, newId } from "@babelwire/core";
import type { Selectable } from "kysely";
import type { Db } from "./connect.ts";
import type { DeliveriesTable } from "./schema.ts";

export type DeliveryRow = Selectable<DeliveriesTable>;

/** What a webhook tells one partner: an event of one translation at one live version. */
export interface NewDelivery {
  partnerId: string;
  event: DeliveryEvent;
  translationId: string;
  articleId: string;
  lang: string;
  liveVersion: number;
}

/**
 * The delivery of this event to this partner, created on first call. The unique key makes a
 * second call (a job run twice, two processes at once) return the same row, never a second one.
 */
export async function ensureDelivery(db: Db, input: NewDelivery): Promise<DeliveryRow> {
  const now = new Date();
  await db
    .insertInto("deliveries")
    .values({
      id: newId(),
      partner_id: input.partnerId,
      event: input.event,
      translation_id: input.translationId,
      article_id: input.articleId,
      lang: input.lang,
      live_version: input.liveVersion,
      // Written from here, not by now(), so the log's cursor (milliseconds) names a row exactly.
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.columns(["partner_id", "translation_id", "event", "live_version"]).doNothing())
    .execute();
  return db
    .selectFrom("deliveries")
    .selectAll()
    .where((eb) =>
      eb.and({
        partner_id: input.partnerId,
        translation_id: input.translationId,
        event: input.event,
        live_version: input.liveVersion,
      }),
    )
    .executeTakeFirstOrThrow();
}

/** A delivery with where and how to send it: its partner's webhook URL, secret, address policy and licence. */
export interface DeliveryTarget extends DeliveryRow {
  webhook_url: string | null;
  webhook_secret: string;
  allow_private_webhook: boolean;
  languages: string[];
  sources: string[] | null;
}

export async function getDeliveryTarget(db: Db, id: string): Promise<DeliveryTarget | undefined> {
  return db
    .selectFrom("deliveries as d")
    .innerJoin("partners as p", "p.id", "d.partner_id")
    .selectAll("d")
    .select(["p.webhook_url", "p.webhook_secret", "p.allow_private_webhook", "p.languages", "p.sources"])
    .where("d.id", "=", id)
    .executeTakeFirst();
}

/** How one attempt ended: the receiver's HTTP status if it answered, the error code if not 2xx. */
export interface DeliveryAttempt {
  status: number | null;
  error: string | null;
  /** `delivered`, `pending` (a retry follows) or `failed` (no attempt follows). */
  outcome: "delivered" | "pending" | "failed";
}

/**
 * Counts an attempt on a delivery and keeps its last status and error where the operator looks:
 * a webhook's row in `deliveries`, a WebSub content distribution's in `websub_deliveries`.
 */
export async function recordDeliveryAttempt(
  db: Db,
  id: string,
  attempt: DeliveryAttempt,
  log: "deliveries" | "websub_deliveries" = "deliveries",
): Promise<void> {
  const now = new Date();
  await db
    .updateTable(log)
    .set((eb) => ({
      attempts: eb("attempts", "+", 1),
      status: attempt.outcome,
      last_status: attempt.status,
      last_error: attempt.error,
      updated_at: now,
      ...(attempt.outcome === "delivered" && { delivered_at: now }),
    }))
    .where("id", "=", id)
    .execute();
}

/**
 * Partners that received (or are still being sent) a language version: who must hear of its
 * withdrawal, licence or not. A delivery that failed for good never reached its partner.
 */
export async function partnersThatReceived(db: Db, translationId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("deliveries as d")
    .innerJoin("partners as p", "p.id", "d.partner_id")
    .select("d.partner_id")
    .distinct()
    .where("d.translation_id", "=", translationId)
    .where("d.event", "in", ["published", "updated"])
    .where("d.status", "in", ["delivered", "pending"])
    .where("p.webhook_url", "is not", null)
    .orderBy("d.partner_id")
    .execute();
  return rows.map((row) => row.partner_id);
}

/** Deliveries not yet made nor given up: what a lost Redis must get queued again. */
export async function listPendingDeliveryIds(db: Db, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom("deliveries")
    .select("id")
    .where("status", "=", "pending")
    .orderBy("created_at")
    .orderBy("id")
    .limit(limit)
    .execute();
  return rows.map((row) => row.id);
}

/** One partner's deliveries, newest first, continuing before (created_at, id) when given. */
export async function listDeliveries(
  db: Db,
  filter: { partnerId: string; limit: number; before?: { at: Date; id: string } | undefined },
): Promise<DeliveryRow[]> {
  let query = db.selectFrom("deliveries").selectAll().where("partner_id", "=", filter.partnerId);
  const before = filter.before;
  if (before) {
    query = query.where((eb) =>
      eb.or([eb("created_at", "<", before.at), eb.and([eb("created_at", "=", before.at), eb("id", "<", before.id)])]),
    );
  }
  return query.orderBy("created_at", "desc").orderBy("id", "desc").limit(filter.limit).execute();
}
