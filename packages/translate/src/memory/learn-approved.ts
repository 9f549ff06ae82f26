import type { Segment } from "@babelwire/core";
import { escapeHtml } from "@babelwire/html";
import { type LeadSource, leadOf } from "../lead.ts";
import { alignSentences, type SentencePair } from "../segment/align.ts";
import { createSentenceSplitter } from "../segment/sentences.ts";
import type { MemoryStore } from "./memory-store.ts";
import { memoryPair } from "./translate-with-memory.ts";

/** What learning reads and writes: memory, and the article and history of an approved translation (as stored). */
export interface LearningStore extends Pick<MemoryStore, "rememberSegments"> {
  getArticle(id: string): Promise<(LeadSource & { title: string; version: number }) | undefined>;
  listTranslationEvents(translationId: string): Promise<ReadonlyArray<{ action: string; detail: unknown }>>;
}

/** The approved translation, as stored. */
export interface ApprovedTranslation {
  id: string;
  article_id: string;
  article_version: number;
  lang: string;
  title: string | null;
  summary: string | null;
  segments: Segment[];
}

/**
 * An editor approved this translation: what a person wrote becomes `human` memory, which wins
 * over any engine the next time the same source text comes in. That is the segments an editor
 * changed (marked `edited`) and those they confirmed by id on approval (`confirmed`: segment ids,
 * `title`, `summary`); the others are the engine's words, and stay `machine`. Title and summary
 * count as written when an edit since the engine's last run changed them, and are learned only
 * when the translation is of the article's current version, since only then is the source text
 * at hand the one the editor read.
 *
 * Each segment's sentences are learned too when they align with the translation's (as many, in
 * order, numbers kept): when one sentence of the paragraph changes later, the others keep the
 * editor's wording instead of the engine's.
 */
export async function learnApprovedTranslation(
  store: LearningStore,
  row: ApprovedTranslation,
  confirmed: readonly string[] = [],
): Promise<number> {
  const article = await store.getArticle(row.article_id);
  if (!article) return 0;
  const chosen = new Set(confirmed);
  const entries: SentencePair[] = row.segments
    .filter((segment) => segment.edited || chosen.has(segment.id))
    .map((segment) => ({ source: segment.source, target: segment.target }));
  if (article.version === row.article_version) {
    const written = await editedFields(store, row.id);
    const learns = (field: string) => written.has(field) || chosen.has(field);
    if (row.title && learns("title"))
      entries.push({ source: escapeHtml(article.title), target: escapeHtml(row.title) });
    if (row.summary && learns("summary")) {
      entries.push({ source: escapeHtml(leadOf(article)), target: escapeHtml(row.summary) });
    }
  }
  if (entries.length === 0) return 0;
  const sentences = alignSentences(createSentenceSplitter(article.language), createSentenceSplitter(row.lang), "html");
  return store.rememberSegments(
    memoryPair(article.language, row.lang),
    [...entries, ...entries.flatMap(sentences)],
    "human",
  );
}

/** The fields (`title`, `summary`) an editor's edit set since the engine last wrote the translation. */
async function editedFields(store: LearningStore, id: string): Promise<Set<string>> {
  const events = await store.listTranslationEvents(id);
  const sinceEngine = events.slice(events.findLastIndex((event) => event.action === "finish") + 1);
  const fields = sinceEngine
    .filter((event) => event.action === "edit")
    .flatMap((event) => (event.detail as { fields?: unknown }).fields ?? [])
    .filter((field): field is string => typeof field === "string");
  return new Set(fields);
}
