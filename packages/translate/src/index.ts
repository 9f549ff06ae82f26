export { createApertiumEngine } from "./engines/apertium/apertium.ts";
export { type ChainResult, translateWithChain } from "./engines/chain.ts";
export { createEngines, type EngineWiring } from "./engines/create-engines.ts";
export { createDeeplEngine, type DeeplOptions } from "./engines/deepl/deepl.ts";
export type {
  GlossaryTerm,
  LanguagePair,
  SegmentFormat,
  TranslateRequest,
  TranslateResult,
  TranslationEngine,
} from "./engines/engine.ts";
export { createGoogleEngine, type GoogleOptions } from "./engines/google/google.ts";
export { createLibreTranslateEngine, type LibreTranslateOptions } from "./engines/libretranslate/libretranslate.ts";
export { createOpenAiEngine, type OpenAiOptions } from "./engines/openai/openai.ts";
export { describePairs, unreachableTargets } from "./engines/reachable-targets.ts";
export {
  createRequestGate,
  type EngineAlerts,
  type EngineLimits,
  type EngineObserver,
  type RequestGate,
} from "./engines/resilience/request-gate.ts";
export type { SharedStore } from "./engines/resilience/shared-limits.ts";
export { parseGlossaryCsv, parseGlossaryTbx } from "./glossary/glossary-files.ts";
export { isPlaceholder, protectTerms } from "./glossary/protect-terms.ts";
export { type LearningStore, learnApprovedTranslation } from "./memory/learn-approved.ts";
export type { MemoryStore } from "./memory/memory-store.ts";
export { renderTmx, type TmxUnit } from "./memory/tmx.ts";
export { type MemoryTranslation, memoryPair, translateWithMemory } from "./memory/translate-with-memory.ts";
export { createApertiumLexicon, type Lexicon } from "./names/lexicon.ts";
export { blocksAutoPublish, checkTranslation, type QaResult } from "./qa/check.ts";
export { sanitizeTarget } from "./sanitize-target.ts";
export { joinBlocks } from "./segment/blocks.ts";
export { translateContent } from "./translate-content.ts";
