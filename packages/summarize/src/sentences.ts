import { boundedSegments } from "@babelwire/core";

export interface Sentence {
  text: string;
  /** Distinct content words, lower-cased, stopwords left out. */
  words: ReadonlySet<string>;
}

/** Sentences as the language's own rules break them (ICU, through Intl.Segmenter). */
export function splitSentences(text: string, lang: string, stopwords: ReadonlySet<string>): Sentence[] {
  const sentenceSegmenter = new Intl.Segmenter(lang, { granularity: "sentence" });
  const wordSegmenter = new Intl.Segmenter(lang, { granularity: "word" });
  return [...boundedSegments(sentenceSegmenter, text)]
    .map((part) => part.segment.trim())
    .filter((sentence) => sentence !== "")
    .map((sentence) => ({ text: sentence, words: contentWords(sentence, lang, wordSegmenter, stopwords) }));
}

function contentWords(
  sentence: string,
  lang: string,
  segmenter: Intl.Segmenter,
  stopwords: ReadonlySet<string>,
): ReadonlySet<string> {
  const words = new Set<string>();
  for (const part of boundedSegments(segmenter, sentence)) {
    if (!part.isWordLike) continue;
    const word = part.segment.toLocaleLowerCase(lang);
    if (!stopwords.has(word)) words.add(word);
  }
  return words;
}
