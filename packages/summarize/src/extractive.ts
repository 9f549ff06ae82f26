import { primaryLanguage } from "@babelwire/core";
import { splitSentences } from "./sentences.ts";
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
 * The N most central sentences of a text (TextRank), in the order they appear in it.
 * Ties go to the earlier sentence, so the same text always gives the same summary.
 */
export function extractSentences(text: string, options: ExtractiveOptions): string[] {
  const wanted = Math.floor(options.sentences ?? DEFAULT_SENTENCES);
  if (wanted <= 0) return [];
  const sentences = splitSentences(text, options.lang, stopwordsFor(primaryLanguage(options.lang)));
  if (sentences.length <= wanted) return sentences.map((sentence) => sentence.text);
  const scores = rankSentences(sentences.map((sentence) => sentence.words));
  return sentences
    .map((sentence, index) => ({ text: sentence.text, index, score: scores[index] ?? 0 }))
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, wanted)
    .sort((a, b) => a.index - b.index)
    .map((sentence) => sentence.text);
}

/** An extractive summary: the text's N most central sentences, joined in their original order. */
export function summarizeExtractive(text: string, options: ExtractiveOptions): string {
  const sentences = splitSentences(text, options.lang, new Set());
  const wanted = Math.floor(options.sentences ?? DEFAULT_SENTENCES);
  if (wanted > 0 && sentences.length <= wanted) return text.trim();
  return extractSentences(text, options).join(" ");
}
