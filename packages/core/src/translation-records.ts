// The records a translation is made of, shared by the pipeline that computes them (translate)
// and the storage that keeps them (db), so neither has to import the other.

/** `auto`: publish unless QA raised an error; `strict`: unless QA raised anything; `required`: an editor approves. */
export type Review = "auto" | "strict" | "required";
export type FullText = "auto" | "always" | "never";

export interface Segment {
  id: string;
  source: string;
  target: string;
  /** Where the target came from when not from the engine this time: translation memory. */
  memory?: MemoryOrigin | undefined;
  /** An editor changed the target: it is theirs now (no memory label), and approving teaches memory. */
  edited?: boolean | undefined;
}

export type MemoryOrigin = "human" | "machine";

export interface QaFlag {
  code: string;
  message: string;
  /** `error` keeps an `auto` source from publishing; `warning` only informs the editor. */
  severity?: "error" | "warning";
  /** The segments it concerns (`title`, `summary`, `s1`, …), when it concerns some. */
  segments?: string[] | undefined;
}

export interface GlossaryUse {
  term: string;
  translation: string;
  /** The segments (`title`, `summary`, `s1`, …) where the term was forced. */
  segments: string[];
}

export interface GlossaryEntry {
  term: string;
  translation: string;
  caseSensitive: boolean;
  /** When the entry was last written: a term newer than a memory entry wins over it. */
  updatedAt?: Date | undefined;
}

export interface MemoryEntry {
  source: string;
  target: string;
  origin: MemoryOrigin;
  /** The engine that produced a `machine` entry, when it was recorded. */
  engine?: string | null | undefined;
  /** When it was last written: a glossary term newer than this wins over it. */
  updatedAt?: Date | undefined;
}

export interface MemoryPair {
  from: string;
  to: string;
}

export interface EngineUse {
  engine: string;
  requests: number;
  characters: number;
  errors: number;
}

/** What the engine (and memory) made of an article, before any editor touched it. */
export interface MachineTranslation {
  title: string;
  summary: string;
  contentHtml: string;
  segments: Segment[];
  qa: QaFlag[];
  engine: string;
  /** Glossary terms the engine was made to keep; none when left out. */
  glossary?: GlossaryUse[] | undefined;
}
