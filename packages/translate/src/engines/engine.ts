/**
 * A language pair an engine can translate directly, as BCP 47 tags. A side may be `*`: any
 * language (a general model). An offered primary language (`pt`) serves its regional tags (`pt-BR`).
 */
export interface LanguagePair {
  from: string;
  to: string;
}

export type SegmentFormat = "text" | "html";

/** A glossary entry an engine may be told about (engines that take instructions, such as an LLM). */
export interface GlossaryTerm {
  term: string;
  translation: string;
}

export interface TranslateRequest {
  from: string;
  to: string;
  format: SegmentFormat;
  /** Segments in order; the engine sees them together so it keeps their context. */
  segments: string[];
  /** Text that is not translated but steers the translation (the headline); DeepL and OpenAI use it. */
  context?: string;
  /** Glossary terms of the pair, for engines that can be told them; others rely on placeholders. */
  glossary?: GlossaryTerm[];
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
 * TRANSLATION_ENGINES tries them in order. Errors are CodedErrors with the codes of
 * engine-errors.ts (`ENGINE_UNAVAILABLE`, `ENGINE_PAIR_UNSUPPORTED`, `ENGINE_QUOTA_EXCEEDED`, …).
 */
export interface TranslationEngine {
  readonly name: string;
  languages(): Promise<LanguagePair[]>;
  translate(request: TranslateRequest): Promise<TranslateResult>;
}
