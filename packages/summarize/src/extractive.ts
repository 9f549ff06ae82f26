import { primaryLanguage } from "@babelwire/core";
import { type Sentence, splitSentences } from "./sentences.ts";
import { stopwordsFor } from "./stopwords.ts";
import { rankSentences } from "./textrank.ts";

export interface ExtractiveOptions {
  /** BCP 47 tag of the text: picks sentence rules and stopwords. */
  lang: string;
  /** How many sentences to keep, 3 by default. */
  sentences?: number;
}

const DEFAULT_SENTENCES = 3;
/**
 * TextRank compares every sentence with every other: time and memory grow with the square of
 * their count, and a hostile 1 MB body of short sentences would need a matrix of 10^11 cells.
 * A news story's summary lies in its first sentences, so only the first this many are ranked.
 */
export const MAX_RANKED_SENTENCES = 300;

/** The text's N most central sentences (TextRank), in the order they appear in it. */
export function extractSentences(text: string, options: ExtractiveOptions): string[] {
  return chooseSentences(sentencesOf(text, options.lang), wantedCount(options)).map((sentence) => sentence.text);
}

/**
 * An extractive summary: the N most central sentences joined in their original order.
 * A text of N sentences or fewer is its own summary and comes back whole, as written.
 */
export function summarizeExtractive(text: string, options: ExtractiveOptions): string {
  const sentences = sentencesOf(text, options.lang);
  const wanted = wantedCount(options);
  if (wanted > 0 && sentences.length <= wanted) return text.trim();
  return chooseSentences(sentences, wanted)
    .map((sentence) => sentence.text)
    .join(" ");
}

function sentencesOf(text: string, lang: string): Sentence[] {
  return splitSentences(text, lang, stopwordsFor(primaryLanguage(lang)));
}

function wantedCount(options: ExtractiveOptions): number {
  return Math.max(0, Math.floor(options.sentences ?? DEFAULT_SENTENCES));
}

/** Ties go to the earlier sentence, so the same text always gives the same summary. */
function chooseSentences(sentences: Sentence[], wanted: number): Sentence[] {
  if (sentences.length <= wanted) return sentences;
  const ranked = sentences.slice(0, MAX_RANKED_SENTENCES);
  const scores = rankSentences(ranked.map((sentence) => sentence.words));
  return ranked
    .map((sentence, index) => ({ sentence, index, score: scores[index] ?? 0 }))
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, wanted)
    .sort((a, b) => a.index - b.index)
    .map((ranked) => ranked.sentence);
}
