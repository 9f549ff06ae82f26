import type { EngineUse } from "@babelwire/core";
import { sql } from "kysely";
import type { Db } from "./connect.ts";

export type { EngineUse };

/** Adds to today's (UTC) counts of each engine; a job that runs twice counts twice, as the engine billed it twice. */
export async function recordEngineUsage(db: Db, uses: readonly EngineUse[], at = new Date()): Promise<void> {
  const day = at.toISOString().slice(0, 10);
  const rows = new Map<string, EngineUse>();
  for (const use of uses) {
    const sum = rows.get(use.engine) ?? { engine: use.engine, requests: 0, characters: 0, errors: 0 };
    rows.set(use.engine, {
      engine: use.engine,
      requests: sum.requests + use.requests,
      characters: sum.characters + use.characters,
      errors: sum.errors + use.errors,
    });
  }
  if (rows.size === 0) return;
  await db
    .insertInto("engine_usage")
    .values([...rows.values()].map((use) => ({ ...use, day })))
    .onConflict((oc) =>
      oc.columns(["engine", "day"]).doUpdateSet({
        requests: sql`engine_usage.requests + excluded.requests`,
        characters: sql`engine_usage.characters + excluded.characters`,
        errors: sql`engine_usage.errors + excluded.errors`,
      }),
    )
    .execute();
}

export interface EngineUsageRow extends EngineUse {
  day: string;
}

/** Per engine and day, newest day first, from `since` (a YYYY-MM-DD day) on. */
export async function listEngineUsage(db: Db, since: string): Promise<EngineUsageRow[]> {
  const rows = await db
    .selectFrom("engine_usage")
    .select(["engine", sql<string>`to_char(day, 'YYYY-MM-DD')`.as("day"), "requests", "characters", "errors"])
    .where("day", ">=", since)
    .orderBy("day", "desc")
    .orderBy("engine")
    .execute();
  // pg returns bigint as a string, PGlite as a number.
  return rows.map((row) => ({ ...row, characters: Number(row.characters) }));
}
