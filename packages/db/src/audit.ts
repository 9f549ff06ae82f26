import { newId } from "@babelwire/core";
import type { Selectable } from "kysely";
import type { Db } from "./connect.ts";
import type { AuditLogTable } from "./schema.ts";

export type AuditRow = Selectable<AuditLogTable>;
export type AuditEntry = Omit<AuditRow, "id" | "at">;

export async function recordAudit(db: Db, entry: AuditEntry): Promise<void> {
  await db
    .insertInto("audit_log")
    .values({ id: newId(), ...entry })
    .execute();
}

/** Newest first; `before` is the last row of the previous page. */
export async function listAudit(
  db: Db,
  filter: { limit: number; actor?: string | undefined; before?: { at: Date; id: string } | undefined },
): Promise<AuditRow[]> {
  let query = db.selectFrom("audit_log").selectAll();
  if (filter.actor) query = query.where("actor", "=", filter.actor);
  const before = filter.before;
  if (before) {
    query = query.where((eb) =>
      eb.or([eb("at", "<", before.at), eb.and([eb("at", "=", before.at), eb("id", "<", before.id)])]),
    );
  }
  return query.orderBy("at", "desc").orderBy("id", "desc").limit(filter.limit).execute();
}

/** Deletes the entries older than `days` days; returns how many went. */
export async function pruneAudit(db: Db, days: number): Promise<number> {
  const result = await db
    .deleteFrom("audit_log")
    .where("at", "<", new Date(Date.now() - days * 86_400_000))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
