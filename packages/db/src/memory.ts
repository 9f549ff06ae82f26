import { type MemoryEntry, type MemoryPair, sha256Hex } from "@babelwire/core";
import { sql } from "kysely";
import type { Db } from "./connect.ts";
import type { MemoryOrigin } from "./schema.ts";

export type { MemoryEntry, MemoryPair };

/**
 * Segments match when equal after whitespace is collapsed: feeds re-wrap lines and pad
 * paragraphs, and that must not cost a second engine call.
 */
export function normalizeSegment(source: string): string {
  return source.replace(/\s+/g, " ").trim();
}

function memoryKey(source: string): string {
  return sha256Hex(normalizeSegment(source));
}

/**
 * The stored targets for these sources, keyed by the source as given. An editor's entry
 * always stands; `machine` entries are left out when the caller asked for a fresh engine run
 * (an editor rejected what the engine said). A read only: countMemoryUses counts what was used.
 */
export async function lookupMemory(
  db: Db,
  pair: MemoryPair,
  sources: readonly string[],
  options: { includeMachine: boolean },
): Promise<Map<string, MemoryEntry>> {
  const wanted = new Map<string, string[]>();
  for (const source of sources) {
    if (!normalizeSegment(source)) continue;
    const key = memoryKey(source);
    wanted.set(key, [...(wanted.get(key) ?? []), source]);
  }
  const found = new Map<string, MemoryEntry>();
  if (wanted.size === 0) return found;
  let query = db
    .selectFrom("translation_memory")
    .select(["source_hash", "target", "origin", "engine", "updated_at"])
    .where("from_lang", "=", pair.from)
    .where("to_lang", "=", pair.to)
    .where("source_hash", "in", [...wanted.keys()]);
  if (!options.includeMachine) query = query.where("origin", "=", "human");
  const rows = await query.execute();
  for (const row of rows) {
    for (const source of wanted.get(row.source_hash) ?? []) {
      found.set(source, {
        source,
        target: row.target,
        origin: row.origin,
        updatedAt: new Date(row.updated_at),
        ...(row.engine && { engine: row.engine }),
      });
    }
  }
  return found;
}

/** Adds one use to each entry of these sources: what memory answered for one article, in one statement. */
export async function countMemoryUses(db: Db, pair: MemoryPair, sources: readonly string[]): Promise<void> {
  const keys = [...new Set(sources.filter((source) => normalizeSegment(source)).map(memoryKey))];
  if (keys.length === 0) return;
  await db
    .updateTable("translation_memory")
    .set((eb) => ({ uses: eb("uses", "+", 1) }))
    .where("from_lang", "=", pair.from)
    .where("to_lang", "=", pair.to)
    .where("source_hash", "in", keys)
    .execute();
}

/**
 * Stores segment pairs. A `human` entry replaces whatever was there; a `machine` entry never
 * replaces a `human` one. Empty sources or targets are not worth remembering.
 */
export async function rememberSegments(
  db: Db,
  pair: MemoryPair,
  entries: ReadonlyArray<{ source: string; target: string }>,
  origin: MemoryOrigin,
  /** Which engine produced `machine` entries; an editor's have none. */
  engine?: string,
): Promise<number> {
  const byKey = new Map<string, { source: string; target: string }>();
  for (const entry of entries) {
    if (!normalizeSegment(entry.source) || !entry.target.trim()) continue;
    byKey.set(memoryKey(entry.source), entry);
  }
  if (byKey.size === 0) return 0;
  const now = new Date();
  await db
    .insertInto("translation_memory")
    .values(
      [...byKey].map(([hash, entry]) => ({
        from_lang: pair.from,
        to_lang: pair.to,
        source_hash: hash,
        source: normalizeSegment(entry.source),
        target: entry.target,
        origin,
        engine: origin === "machine" ? (engine ?? null) : null,
        updated_at: now,
      })),
    )
    .onConflict((oc) => {
      const update = oc.columns(["from_lang", "to_lang", "source_hash"]).doUpdateSet({
        target: sql`excluded.target`,
        origin: sql`excluded.origin`,
        engine: sql`excluded.engine`,
        updated_at: now,
      });
      return origin === "human" ? update : update.where("translation_memory.origin", "=", "machine");
    })
    .execute();
  return byKey.size;
}

export interface MemoryListing {
  origin?: MemoryOrigin | undefined;
  limit: number;
  /** Continue after this entry id (its source hash), in id order. */
  after?: string | undefined;
}

/** One page of a pair's entries for editors, by id (the source's hash): what memory will answer. */
export async function listMemoryEntries(db: Db, pair: MemoryPair, listing: MemoryListing) {
  let query = db
    .selectFrom("translation_memory")
    .select(["source_hash as id", "source", "target", "origin", "uses", "created_at", "updated_at"])
    .where("from_lang", "=", pair.from)
    .where("to_lang", "=", pair.to);
  if (listing.origin) query = query.where("origin", "=", listing.origin);
  if (listing.after) query = query.where("source_hash", ">", listing.after);
  return query.orderBy("source_hash").limit(listing.limit).execute();
}

/** Forgets one entry; false when there was none. */
export async function deleteMemoryEntry(db: Db, pair: MemoryPair, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom("translation_memory")
    .where("from_lang", "=", pair.from)
    .where("to_lang", "=", pair.to)
    .where("source_hash", "=", id)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Every entry of one pair, oldest first, for export. */
export async function listMemory(db: Db, pair: MemoryPair) {
  return db
    .selectFrom("translation_memory")
    .select(["source", "target", "origin", "uses", "created_at", "updated_at"])
    .where("from_lang", "=", pair.from)
    .where("to_lang", "=", pair.to)
    .orderBy("created_at")
    .orderBy("source_hash")
    .execute();
}
