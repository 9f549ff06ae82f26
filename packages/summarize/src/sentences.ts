import { abbreviationRule, boundedSegments } from "@babelwire/core";

export interface Sentence {
  text: string;
  /** Distinct content words, lower-cased, stopwords left out. */
  words: ReadonlySet<string>;
}

/**
 * Sentences as the language's own rules break them (ICU, through Intl.Segmenter), with the
 * breaks after abbreviations and initials undone as translation's segmenter undoes them
 * ("Mr. | Smith", "М. | Рютте" are one sentence).
 */
export function splitSentences(text: string, lang: string, stopwords: ReadonlySet<string>): Sentence[] {
  const sentenceSegmenter = new Intl.Segmenter(lang, { granularity: "sentence" });
  const wordSegmenter = new Intl.Segmenter(lang, { granularity: "word" });
  const continues = abbreviationRule(lang);
  const spans: Array<{ start: number; end: number }> = [];
  // Not sentenceSegmenter.segment(text): its time is quadratic in the text's length (boundedSegments).
  for (const part of boundedSegments(sentenceSegmenter, text)) {
    const sentence = part.segment.trim();
    if (sentence === "") continue;
    const start = part.index + part.segment.length - part.segment.trimStart().length;
    const previous = spans.at(-1);
    if (previous && continues(text.slice(previous.start, previous.end), sentence))
      previous.end = start + sentence.length;
    else spans.push({ start, end: start + sentence.length });
  }
  return spans.map(({ start, end }) => {
    const sentence = text.slice(start, end);
    return { text: sentence, words: contentWords(sentence, lang, wordSegmenter, stopwords) };
  });
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
