export { abbreviationRule } from "./abbreviations.ts";
export type { Media, NormalizedArticle } from "./article.ts";
export type { CircuitState } from "./circuit.ts";
export { formatDuration, parseDuration } from "./durations.ts";
export { editRate, wordsOf } from "./edit-rate.ts";
export { CodedError, errorCode, errorMessage } from "./errors.ts";
export { jobId, newId, sha256Hex } from "./ids.ts";
export type { JobOutcome } from "./jobs.ts";
export { isLanguageTag, normalizeLanguageTag, primaryLanguage } from "./languages.ts";
export { isPathInside } from "./paths.ts";
export type { DeliveryEvent, LiveTranslation, PublishedItem } from "./publication.ts";
export { REDACTED, redactQuery, redactSecrets, redactUrl } from "./redact.ts";
export { boundedSegments, type TextSegment } from "./segments.ts";
export {
  canTransition,
  nextState,
  TRANSLATION_ACTIONS,
  TRANSLATION_STATES,
  type TranslationAction,
  type TranslationState,
} from "./states.ts";
export { hasUnstorableText, stripUnstorableText } from "./text.ts";
export type {
  EngineUse,
  FullText,
  GlossaryEntry,
  GlossaryUse,
  MachineTranslation,
  MemoryEntry,
  MemoryOrigin,
  MemoryPair,
  QaFlag,
  Review,
  Segment,
} from "./translation-records.ts";
