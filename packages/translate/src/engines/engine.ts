/** A language pair an engine can translate directly, as BCP 47 tags. */
export interface LanguagePair {
  from: string;
  to: string;
}

export type SegmentFormat = "text" | "html";

export interface TranslateRequest {
  from: string;
  to: string;
  format: SegmentFormat;
  /** Segments in order; the engine sees them together so it keeps their context. */
  segments: string[];
}

export interface TranslateResult {
  /** One output per input segment, in the same order, engine marks removed. */
  segments: string[];
  /** Words the engine did not know (Apertium marks them `*word`), for QA. */
  unknownWords: string[];
  /** Characters sent to the engine, for cost accounting. */
  charactersSent: number;
}

/**
 * Every translation engine is an adapter behind this interface; the chain in
 * TRANSLATION_ENGINES tries them in order. Errors are CodedErrors (`ENGINE_UNAVAILABLE`,
 * `ENGINE_PAIR_UNSUPPORTED`, `ENGINE_QUOTA_EXCEEDED`, …).
 */
export interface TranslationEngine {
  readonly name: string;
  languages(): Promise<LanguagePair[]>;
  translate(request: TranslateRequest): Promise<TranslateResult>;
}
