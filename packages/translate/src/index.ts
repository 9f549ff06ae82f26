export { createApertiumEngine } from "./engines/apertium.ts";
export { type ChainResult, translateWithChain } from "./engines/chain.ts";
export { createEngines } from "./engines/create-engines.ts";
export type {
  LanguagePair,
  SegmentFormat,
  TranslateRequest,
  TranslateResult,
  TranslationEngine,
} from "./engines/engine.ts";
export { blocksAutoPublish, checkTranslation, type QaResult } from "./qa/check.ts";
export { joinBlocks } from "./segment/blocks.ts";
export { type TranslateDeps, type TranslateOutcome, translateArticle } from "./translate-article.ts";
