import type { GlossaryEntry } from "@babelwire/core";
import { sql } from "kysely";
import type { Db } from "./connect.ts";
import type { MemoryPair } from "./memory.ts";

export type { GlossaryEntry };

/** One pair's terms, longest first: the order in which they must be matched. */
export async function listGlossary(db: Db, pair: MemoryPair): Promise<GlossaryEntry[]> {
  const rows = await db
    .selectFrom("glossary")
    .select(["term", "translation", "case_sensitive", "updated_at"])
    .where("from_lang", "=", pair.from)
    .where("to_lang", "=", pair.to)
    .orderBy(sql`length(term)`, "desc")
    .orderBy("term")
    .execute();
  return rows.map((row) => ({
    term: row.term,
    translation: row.translation,
    caseSensitive: row.case_sensitive,
    updatedAt: new Date(row.updated_at),
  }));
}

/** Adds or replaces entries by term; returns how many were written. */
export async function putGlossaryEntries(db: Db, pair: MemoryPair, entries: readonly GlossaryEntry[]): Promise<number> {
  const byTerm = new Map(entries.map((entry) => [entry.term, entry]));
  if (byTerm.size === 0) return 0;
  const now = new Date();
  await db
    .insertInto("glossary")
    .values(
      [...byTerm.values()].map((entry) => ({
        from_lang: pair.from,
        to_lang: pair.to,
        term: entry.term,
        translation: entry.translation,
        case_sensitive: entry.caseSensitive,
        updated_at: now,
      })),
    )
    .onConflict((oc) =>
      oc.columns(["from_lang", "to_lang", "term"]).doUpdateSet({
        translation: sql`excluded.translation`,
        case_sensitive: sql`excluded.case_sensitive`,
        updated_at: now,
      }),
    )
    .execute();
  return byTerm.size;
}

/** Deletes one term, or the pair's whole glossary when no term is given; returns how many went. */
export async function deleteGlossary(db: Db, pair: MemoryPair, term?: string): Promise<number> {
  let query = db.deleteFrom("glossary").where("from_lang", "=", pair.from).where("to_lang", "=", pair.to);
  if (term !== undefined) query = query.where("term", "=", term);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}
