import {
  type EngineUse,
  type GlossaryEntry,
  type MemoryEntry,
  type MemoryOrigin,
  type MemoryPair,
  primaryLanguage,
} from "@babelwire/core";
import { escapeHtml } from "@babelwire/html";
import { ChainError, translateWithChain } from "../engines/chain.ts";
import type { SegmentFormat, TranslationEngine } from "../engines/engine.ts";
import { isPlaceholder, protectTerms } from "../glossary/protect-terms.ts";
import { findArticleNames } from "../names/find-names.ts";
import type { Lexicon } from "../names/lexicon.ts";
import { protectNames } from "../names/protect-names.ts";
import { alignSentences } from "../segment/align.ts";
import { createSentenceSplitter, type SentenceSplit } from "../segment/sentences.ts";
import { repairStyle, styleDictionary } from "../style/repair-style.ts";
import type { MemoryStore } from "./memory-store.ts";

export interface MemoryTranslation {
  /** One target per source, in order. */
  targets: string[];
  /** Per source: where its target came from when memory answered, else undefined. */
  memory: Array<MemoryOrigin | undefined>;
  /**
   * The engine that translated the misses; when nothing went to an engine, the engine(s) behind
   * the remembered segments, and `memory` only when editors wrote all of them (or memory predates
   * recording engines).
   */
  engine: string;
  /** Glossary terms the engine was made to keep, with the indexes of the sources they were in. */
  glossaryForced: Array<{ term: string; translation: string; sources: number[] }>;
  unknownWords: string[];
  charactersSent: number;
  /** Glossary terms whose placeholder the engine did not give back: the term may be mistranslated. */
  glossaryLost: string[];
  /** People's names found in the source whose placeholder the engine did not give back. */
  namesLost: string[];
  /** The engine had no direct pair and went through English. */
  pivot: boolean;
}

export interface MemoryRequest {
  from: string;
  to: string;
  format: SegmentFormat;
  segments: string[];
  /** Ask the engine afresh, memory aside (an editor rejected the translation and asked for it again). */
  freshEngineRun?: boolean | undefined;
  /** Not translated, but steers the engines that take it (the headline). */
  context?: string | undefined;
  /**
   * The dictionaries that find people's names in the source and repair case in the target
   * (createApertiumLexicon); without them names are not looked for and only spacing and quotes are repaired.
   */
  lexicon?: Lexicon | undefined;
}

/** Memory is kept per source language (its primary subtag: en-GB and en read alike) and exact target. */
export function memoryPair(from: string, to: string): MemoryPair {
  return { from: primaryLanguage(from), to: to.toLowerCase() };
}

/**
 * Translates segments through translation memory first and the engine chain for the rest:
 * an editor's approved segment wins over any engine, and an updated article sends only its
 * changed sentences to the engine.
 *
 * Memory is asked for whole segments (what editors approve, what was remembered before
 * sentences were), then, for the segments it did not know, sentence by sentence. A segment none
 * of whose sentences it knows goes to the engine whole, so the engine reads the paragraph as
 * one; of a segment it partly knows, only the unknown sentences go. Everything goes in one
 * request, in article order. Glossary terms travel through the engine as placeholders and come
 * back as the glossary says. What the engine returns is remembered as `machine`: a segment sent
 * whole by its sentences when they align with the translation's, else whole.
 */
export async function translateWithMemory(
  store: MemoryStore,
  engines: TranslationEngine[],
  request: MemoryRequest,
): Promise<MemoryTranslation> {
  const pair = memoryPair(request.from, request.to);
  const glossary = await store.listGlossary(pair);
  const split = createSentenceSplitter(request.from);
  const splits = request.segments.map((source) =>
    source.trim()
      ? (split(source, request.format) ?? {
          units: [source],
          between: [],
          join: ([target = ""]: readonly string[]) => target,
        })
      : undefined,
  );
  const { whole, hits } = await recall(store, pair, request, splits, glossary);
  const plans = splits.map((plan, index) => (whole.has(request.segments[index] ?? "") ? undefined : plan));
  const sentWhole = plans.map((plan) => plan?.units.every((unit) => !hits.has(unit)) ?? false);
  // Which request segment each outgoing unit belongs to, to say where glossary terms were forced.
  const owners: number[] = [];
  const outgoing = plans.flatMap((plan, index) => {
    if (!plan) return [];
    const units = sentWhole[index] ? [request.segments[index] ?? ""] : plan.units.filter((unit) => !hits.has(unit));
    for (const _ of units) owners.push(index);
    return units;
  });
  const translated =
    outgoing.length > 0 ? await translateMisses(store, engines, request, outgoing, glossary) : undefined;
  const fromEngine = translated?.targets ?? new Map<string, string>();
  const targets = request.segments.map((source, index) => {
    const plan = plans[index];
    if (!plan) return whole.get(source)?.target ?? source;
    if (sentWhole[index]) return fromEngine.get(source) ?? "";
    return plan.join(plan.units.map((unit) => hits.get(unit)?.target ?? fromEngine.get(unit) ?? ""));
  });
  if (translated) {
    const aligned = alignSentences(split, createSentenceSplitter(request.to), request.format);
    // A segment whose sentences align is remembered by them alone: they rebuild it, and each serves on its own.
    const learned = outgoing.flatMap((source) => {
      const whole = { source, target: fromEngine.get(source) ?? "" };
      const sentences = aligned(whole);
      return sentences.length > 0 ? sentences : [whole];
    });
    await store.rememberSegments(pair, learned, "machine", translated.engine);
  }
  return {
    targets,
    memory: request.segments.map((source, index) => {
      const plan = plans[index];
      if (!plan) return whole.get(source)?.origin;
      return sentWhole[index] ? undefined : originOf(plan.units.map((unit) => hits.get(unit)?.origin));
    }),
    engine: translated?.engine ?? rememberedEngine([...hits.values()]),
    glossaryForced: forcedTerms(translated?.forced ?? [], owners),
    unknownWords: translated?.unknownWords ?? [],
    charactersSent: translated?.charactersSent ?? 0,
    glossaryLost: [
      ...new Set([
        ...(translated?.glossaryLost ?? []),
        ...termsMissing(request.segments, targets, glossary, request.format),
      ]),
    ],
    namesLost: translated?.namesLost ?? [],
    pivot: translated?.pivot ?? false,
  };
}

/**
 * Memory's answers, asked once for every segment and every sentence of it together: `whole`
 * for the segments it knows, `hits` adding the sentences of the others. Each entry that
 * answered counts one use for the request, in one write.
 */
async function recall(
  store: MemoryStore,
  pair: MemoryPair,
  request: MemoryRequest,
  splits: ReadonlyArray<SentenceSplit | undefined>,
  glossary: GlossaryEntry[],
): Promise<{ whole: Map<string, MemoryEntry>; hits: Map<string, MemoryEntry> }> {
  if (request.freshEngineRun) return { whole: new Map(), hits: new Map() };
  const asked = new Set([...request.segments, ...splits.flatMap((plan) => plan?.units ?? [])]);
  const known = await usableMemory(store, pair, [...asked], glossary, request.format);
  const entries = (sources: readonly string[]) =>
    sources.flatMap((source) => known.get(source) ?? []).map((hit) => [hit.source, hit] as const);
  const whole = new Map(entries(request.segments));
  const sentences = splits.flatMap((plan, index) =>
    whole.has(request.segments[index] ?? "") ? [] : (plan?.units ?? []),
  );
  const hits = new Map([...whole, ...entries(sentences)]);
  if (hits.size > 0) await store.countUses?.(pair, [...hits.keys()]);
  return { whole, hits };
}

/**
 * Memory's targets for these sources. The engine's remembered output may predate the glossary
 * as it is now, so a `machine` entry for a source holding a glossary term is not used; an
 * editor's stands unless a term of its source was added or changed after it and its target
 * does not render that term as the glossary says: the newer term wins.
 */
async function usableMemory(
  store: MemoryStore,
  pair: MemoryPair,
  sources: readonly string[],
  glossary: GlossaryEntry[],
  format: SegmentFormat,
): Promise<Map<string, MemoryEntry>> {
  const hits = await store.lookupMemory(pair, sources);
  if (glossary.length === 0) return hits;
  const entries = [...hits.values()];
  protectTerms(
    entries.map((hit) => hit.source),
    glossary,
    format,
  ).found.forEach((terms, index) => {
    const hit = entries[index];
    if (!hit || terms.length === 0) return;
    const outdated = terms.some(
      (term) =>
        (term.updatedAt?.getTime() ?? 0) > (hit.updatedAt?.getTime() ?? 0) && !renders(hit.target, term, format),
    );
    if (hit.origin === "machine" || outdated) hits.delete(hit.source);
  });
  return hits;
}

/** The engines behind remembered machine segments, `memory` when none is known. */
function rememberedEngine(hits: MemoryEntry[]): string {
  const engines = [...new Set(hits.flatMap((hit) => (hit.origin === "machine" && hit.engine ? [hit.engine] : [])))];
  return engines.length > 0 ? engines.sort().join("+") : "memory";
}

/** Per glossary entry, the request segments where the engine kept it. */
function forcedTerms(
  forced: ReadonlyArray<{ entry: GlossaryEntry; unit: number }>,
  owners: readonly number[],
): MemoryTranslation["glossaryForced"] {
  const byTerm = new Map<GlossaryEntry, Set<number>>();
  for (const { entry, unit } of forced) {
    const owner = owners[unit];
    if (owner === undefined) continue;
    byTerm.set(entry, (byTerm.get(entry) ?? new Set()).add(owner));
  }
  return [...byTerm].map(([entry, sources]) => ({
    term: entry.term,
    translation: entry.translation,
    sources: [...sources].sort((a, b) => a - b),
  }));
}

/** Whether a target holds the glossary's translation of a term. */
function renders(target: string, term: GlossaryEntry, format: SegmentFormat): boolean {
  const translation = format === "html" ? escapeHtml(term.translation) : term.translation;
  return term.caseSensitive ? target.includes(translation) : target.toLowerCase().includes(translation.toLowerCase());
}

/** Glossary terms of each source its target does not render, wherever the target came from (memory too). */
function termsMissing(
  sources: readonly string[],
  targets: readonly string[],
  glossary: GlossaryEntry[],
  format: SegmentFormat,
): string[] {
  if (glossary.length === 0) return [];
  return protectTerms(sources, glossary, format).found.flatMap((terms, index) =>
    terms.filter((term) => !renders(targets[index] ?? "", term, format)).map((term) => term.term),
  );
}

/** A segment put together from remembered sentences is the editors' only when every sentence is. */
function originOf(origins: Array<MemoryOrigin | undefined>): MemoryOrigin | undefined {
  if (origins.some((origin) => origin === undefined)) return undefined;
  return origins.every((origin) => origin === "human") ? "human" : "machine";
}

interface EngineTranslation {
  /** The target of each source sent. */
  targets: Map<string, string>;
  engine: string;
  unknownWords: string[];
  charactersSent: number;
  glossaryLost: string[];
  /** Each glossary entry the engine kept, with the outgoing unit it was in. */
  forced: Array<{ entry: GlossaryEntry; unit: number }>;
  namesLost: string[];
  pivot: boolean;
}

/**
 * Sends what memory lacked to the engine chain in one request: glossary terms and people's names
 * (found in the whole article) travel as placeholders; the wire style of what comes back is
 * repaired before they are put back, so no repair touches them.
 */
async function translateMisses(
  store: MemoryStore,
  engines: TranslationEngine[],
  request: MemoryRequest,
  sources: string[],
  glossary: GlossaryEntry[],
): Promise<EngineTranslation> {
  const terms = protectTerms(sources, glossary, request.format);
  const finder = await findArticleNames(request.lexicon, request.from, request.to, request.segments, request.format);
  const names = protectNames(terms.segments, finder);
  const result = await counted(store, () =>
    translateWithChain(engines, {
      from: request.from,
      to: request.to,
      format: request.format,
      segments: names.segments,
      ...(request.context && { context: request.context }),
      // Engines that take instructions hear the terms too; the placeholders hold them either way.
      ...(glossary.length > 0 && {
        glossary: [...new Set(terms.found.flat())].map(({ term, translation }) => ({ term, translation })),
      }),
    }),
  );
  const engineTargets = sources.map((_, position) => result.segments[position] ?? "");
  const dictionary = await styleDictionary(
    request.lexicon,
    request.from,
    request.to,
    names.segments,
    engineTargets,
    request.format,
  );
  const repaired = engineTargets.map((target, position) =>
    repairStyle(names.segments[position] ?? "", target, { to: request.to, format: request.format, dictionary }),
  );
  const withNames = names.restore(repaired);
  const restored = terms.restore(withNames.targets);
  return {
    targets: new Map(sources.map((source, position) => [source, restored.targets[position] ?? ""])),
    engine: result.engine,
    unknownWords: result.unknownWords.filter((word) => !isPlaceholder(word)),
    charactersSent: result.charactersSent,
    glossaryLost: restored.lost,
    forced: terms.found.flatMap((entries, unit) =>
      entries.filter((entry) => !restored.lost.includes(entry.term)).map((entry) => ({ entry, unit })),
    ),
    namesLost: withNames.lost,
    pivot: result.pivot === true,
  };
}

/** Engine failures as the chain names them (`deepl: ENGINE_QUOTA_EXCEEDED`); a missing pair is no use of the engine. */
function failedUses(failures: readonly string[] | undefined): EngineUse[] {
  return (failures ?? [])
    .filter((failure) => !failure.endsWith(": ENGINE_PAIR_UNSUPPORTED"))
    .map((failure) => ({ engine: failure.split(":")[0] ?? "unknown", requests: 1, characters: 0, errors: 1 }));
}

/** Runs the chain and counts, per engine (and day, in the store), what it was sent and how it failed. */
async function counted(
  store: MemoryStore,
  run: () => ReturnType<typeof translateWithChain>,
): ReturnType<typeof translateWithChain> {
  try {
    const result = await run();
    await store.recordEngineUsage([
      ...failedUses(result.failures),
      { engine: result.engine, requests: 1, characters: result.charactersSent, errors: 0 },
    ]);
    return result;
  } catch (error) {
    if (error instanceof ChainError) await store.recordEngineUsage(failedUses(error.failures));
    throw error;
  }
}
