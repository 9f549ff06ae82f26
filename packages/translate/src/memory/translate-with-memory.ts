import { primaryLanguage } from "@babelwire/core";
import {
  type Db,
  type EngineUse,
  listGlossary,
  lookupMemory,
  type MemoryOrigin,
  type MemoryPair,
  recordEngineUsage,
  rememberSegments,
} from "@babelwire/db";
import { ChainError, translateWithChain } from "../engines/chain.ts";
import type { SegmentFormat, TranslationEngine } from "../engines/engine.ts";
import { isPlaceholder, protectTerms } from "../glossary/protect-terms.ts";

export interface MemoryTranslation {
  /** One target per source, in order. */
  targets: string[];
  /** Per source: where its target came from when memory answered, else undefined. */
  memory: Array<MemoryOrigin | undefined>;
  /** The engine that translated the misses; `memory` when nothing went to an engine. */
  engine: string;
  unknownWords: string[];
  charactersSent: number;
  /** Glossary terms whose placeholder the engine did not give back: the term may be mistranslated. */
  glossaryLost: string[];
  /** The engine had no direct pair and went through English. */
  pivot: boolean;
}

export interface MemoryRequest {
  from: string;
  to: string;
  format: SegmentFormat;
  segments: string[];
  /** Skip the engine's own remembered output (an editor rejected it); editors' entries still apply. */
  freshEngineRun?: boolean | undefined;
  /** Not translated, but steers the engines that take it (the headline). */
  context?: string | undefined;
}

/** Memory is kept per source language (its primary subtag: en-GB and en read alike) and exact target. */
export function memoryPair(from: string, to: string): MemoryPair {
  return { from: primaryLanguage(from), to: to.toLowerCase() };
}

/**
 * Translates segments through translation memory first and the engine chain for the rest:
 * an editor's approved segment wins over any engine, and an updated article sends only its
 * changed segments to the engine. Glossary terms travel through the engine as placeholders
 * and come back as the glossary says. What the engine returns is remembered as `machine`.
 */
export async function translateWithMemory(
  db: Db,
  engines: TranslationEngine[],
  request: MemoryRequest,
): Promise<MemoryTranslation> {
  const pair = memoryPair(request.from, request.to);
  const glossary = await listGlossary(db, pair);
  const terms = protectTerms(request.segments, glossary, request.format);
  const hits = await lookupMemory(db, pair, request.segments, { includeMachine: !request.freshEngineRun });
  // The engine's remembered output predates the glossary as it is now: only an editor's stands.
  request.segments.forEach((source, index) => {
    if (hits.get(source)?.origin === "machine" && (terms.found[index]?.length ?? 0) > 0) hits.delete(source);
  });
  const misses = request.segments.flatMap((source, index) => (hits.has(source) || !source.trim() ? [] : [index]));
  const targets = request.segments.map((source) => hits.get(source)?.target ?? (source.trim() ? "" : source));
  if (misses.length === 0) {
    return {
      targets,
      memory: request.segments.map((source) => hits.get(source)?.origin),
      engine: "memory",
      unknownWords: [],
      charactersSent: 0,
      glossaryLost: [],
      pivot: false,
    };
  }
  const result = await counted(db, () =>
    translateWithChain(engines, {
      from: request.from,
      to: request.to,
      format: request.format,
      segments: misses.map((index) => terms.segments[index] ?? ""),
      ...(request.context && { context: request.context }),
      // Engines that take instructions hear the terms too; the placeholders hold them either way.
      ...(glossary.length > 0 && {
        glossary: [...new Set(misses.flatMap((index) => terms.found[index] ?? []))].map(({ term, translation }) => ({
          term,
          translation,
        })),
      }),
    }),
  );
  const restored = terms.restore(
    request.segments.map((_, index) =>
      misses.includes(index) ? (result.segments[misses.indexOf(index)] ?? "") : undefined,
    ),
  );
  for (const index of misses) targets[index] = restored.targets[index] ?? "";
  await rememberSegments(
    db,
    pair,
    misses.map((index) => ({ source: request.segments[index] ?? "", target: targets[index] ?? "" })),
    "machine",
  );
  return {
    targets,
    memory: request.segments.map((source) => hits.get(source)?.origin),
    engine: result.engine,
    unknownWords: result.unknownWords.filter((word) => !isPlaceholder(word)),
    charactersSent: result.charactersSent,
    glossaryLost: restored.lost,
    pivot: result.pivot === true,
  };
}

/** Engine failures as the chain names them (`deepl: ENGINE_QUOTA_EXCEEDED`); a missing pair is no use of the engine. */
function failedUses(failures: readonly string[] | undefined): EngineUse[] {
  return (failures ?? [])
    .filter((failure) => !failure.endsWith(": ENGINE_PAIR_UNSUPPORTED"))
    .map((failure) => ({ engine: failure.split(":")[0] ?? "unknown", requests: 1, characters: 0, errors: 1 }));
}

/** Runs the chain and counts, per engine and day in the database, what it was sent and how it failed. */
async function counted(
  db: Db,
  run: () => ReturnType<typeof translateWithChain>,
): ReturnType<typeof translateWithChain> {
  try {
    const result = await run();
    await recordEngineUsage(db, [
      ...failedUses(result.failures),
      { engine: result.engine, requests: 1, characters: result.charactersSent, errors: 0 },
    ]);
    return result;
  } catch (error) {
    if (error instanceof ChainError) await recordEngineUsage(db, failedUses(error.failures));
    throw error;
  }
}
