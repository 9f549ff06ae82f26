export { abbreviationRule } from "./abbreviations.ts";
export type { Media, NormalizedArticle } from "./article.ts";
export { formatDuration, parseDuration } from "./durations.ts";
export { CodedError, errorCode, errorMessage } from "./errors.ts";
export { jobId, newId, sha256Hex } from "./ids.ts";
export { isLanguageTag, normalizeLanguageTag, primaryLanguage } from "./languages.ts";
export {
  canTransition,
  nextState,
  TRANSLATION_ACTIONS,
  TRANSLATION_STATES,
  type TranslationAction,
  type TranslationState,
} from "./states.ts";
