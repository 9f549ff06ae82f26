import { newId } from "@babelwire/core";
import type { Selectable } from "kysely";
import type { Db } from "./connect.ts";
import type { SourcePushTable } from "./schema.ts";

export type SourcePushRow = Selectable<SourcePushTable>;

export async function getSourcePush(db: Db, sourceId: string): Promise<SourcePushRow | undefined> {
  return db.selectFrom("source_push").selectAll().where("source_id", "=", sourceId).executeTakeFirst();
}

/** The push state of these sources, by source id, for their health. */
export async function listSourcePushes(db: Db, sourceIds: readonly string[]): Promise<Map<string, SourcePushRow>> {
  if (sourceIds.length === 0) return new Map();
  const rows = await db
    .selectFrom("source_push")
    .selectAll()
    .where("source_id", "in", [...sourceIds])
    .execute();
  return new Map(rows.map((row) => [row.source_id, row]));
}

/** The subscription a hub's callback request names, by the unguessable id in its URL. */
export async function findSourcePushByCallback(db: Db, callbackId: string): Promise<SourcePushRow | undefined> {
  return db.selectFrom("source_push").selectAll().where("callback_id", "=", callbackId).executeTakeFirst();
}

/** Records a subscription request sent (or about to be) to a hub; what the hub did with an earlier one stays until it verifies. */
export async function recordPushRequested(
  db: Db,
  input: { sourceId: string; hub: string; topic: string; callbackId: string; secret: string; error?: string | null },
): Promise<void> {
  const now = new Date();
  const values = {
    hub: input.hub,
    topic: input.topic,
    callback_id: input.callbackId,
    secret: input.secret,
    requested_at: now,
    error: input.error ?? null,
  };
  await db
    .insertInto("source_push")
    .values({ source_id: input.sourceId, state: "requested", ...values })
    .onConflict((oc) => oc.column("source_id").doUpdateSet(values))
    .execute();
}

/** The hub verified our intent: pushes are expected until the lease ends. */
export async function recordPushVerified(db: Db, sourceId: string, leaseSeconds: number): Promise<void> {
  const now = new Date();
  await db
    .updateTable("source_push")
    .set({
      state: "active",
      verified_at: now,
      lease_expires_at: new Date(now.getTime() + leaseSeconds * 1000),
      error: null,
    })
    .where("source_id", "=", sourceId)
    .execute();
}

/** The hub refused the subscription, or asking it failed: polling carries on, the reason is in the source's health. */
export async function recordPushError(db: Db, sourceId: string, error: string, options: { denied?: boolean } = {}) {
  await db
    .updateTable("source_push")
    .set({ error, ...(options.denied && { state: "denied" as const }) })
    .where("source_id", "=", sourceId)
    .execute();
}

/** One push that passed the signature check, its body kept for the ingestor when it carries one. */
export async function recordPushReceived(
  db: Db,
  sourceId: string,
  body: { bytes: Buffer; contentType: string | null; link: string | null } | null,
): Promise<string | null> {
  await db
    .updateTable("source_push")
    .set((eb) => ({ last_push_at: new Date(), pushes: eb("pushes", "+", 1) }))
    .where("source_id", "=", sourceId)
    .execute();
  if (!body) return null;
  const id = newId();
  await db
    .insertInto("source_pushes")
    .values({ id, source_id: sourceId, body: body.bytes, content_type: body.contentType, link: body.link })
    .execute();
  return id;
}

/** A push dropped for a missing or wrong signature: counted where the operator looks. */
export async function recordPushDropped(db: Db, sourceId: string): Promise<void> {
  await db
    .updateTable("source_push")
    .set((eb) => ({ dropped: eb("dropped", "+", 1) }))
    .where("source_id", "=", sourceId)
    .execute();
}

/** Takes a pushed body for ingestion: read and deleted at once, so it is ingested once. */
export async function takePushedBody(
  db: Db,
  id: string,
): Promise<{ source_id: string; body: Buffer; content_type: string | null; link: string | null } | undefined> {
  return db
    .deleteFrom("source_pushes")
    .where("id", "=", id)
    .returning(["source_id", "body", "content_type", "link"])
    .executeTakeFirst();
}
