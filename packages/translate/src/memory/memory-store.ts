import type { EngineUse, GlossaryEntry, MemoryEntry, MemoryOrigin, MemoryPair } from "@babelwire/core";

/**
 * Where translation memory, the glossary and engine usage are kept: translate reads and writes
 * them only through this, and the services pass one backed by the database.
 */
export interface MemoryStore {
  /** One pair's glossary terms, longest first: the order in which they must be matched. */
  listGlossary(pair: MemoryPair): Promise<GlossaryEntry[]>;
  /** Memory's entries (an editor's over the engine's) for these sources, by source. A read only. */
  lookupMemory(pair: MemoryPair, sources: readonly string[]): Promise<Map<string, MemoryEntry>>;
  /** Counts one use of each entry of these sources (what memory answered for one request); a store that keeps no counts leaves it out. */
  countUses?(pair: MemoryPair, sources: readonly string[]): Promise<void>;
  /** Remembers segments; `engine` names the engine behind `machine` ones. Gives how many were stored. */
  rememberSegments(
    pair: MemoryPair,
    entries: ReadonlyArray<{ source: string; target: string }>,
    origin: MemoryOrigin,
    engine?: string,
  ): Promise<number>;
  /** Adds to what each engine was sent and how often it failed. */
  recordEngineUsage(uses: readonly EngineUse[]): Promise<void>;
}
