import {
  countMemoryUses,
  type Db,
  getArticle,
  listGlossary,
  listTranslationEvents,
  lookupMemory,
  recordEngineUsage,
  rememberSegments,
} from "@babelwire/db";
import type { LearningStore, MemoryStore } from "@babelwire/translate";

/** Translation memory, the glossary and engine usage as the database keeps them. */
export function databaseMemory(db: Db): MemoryStore & LearningStore {
  return {
    listGlossary: (pair) => listGlossary(db, pair),
    lookupMemory: (pair, sources) => lookupMemory(db, pair, sources, { includeMachine: true }),
    countUses: (pair, sources) => countMemoryUses(db, pair, sources),
    rememberSegments: (pair, entries, origin, engine) => rememberSegments(db, pair, entries, origin, engine),
    recordEngineUsage: (uses) => recordEngineUsage(db, uses),
    getArticle: (id) => getArticle(db, id),
    listTranslationEvents: (id) => listTranslationEvents(db, id),
  };
}
