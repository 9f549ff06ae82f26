import { contradictedLanguage, detectLanguage } from "./detect-language.ts";

/** What language choice needs to know of an item. */
export interface LanguageEvidence {
  /** The item's own declaration (dc:language, xml:lang), as a BCP 47 tag. */
  declared: string | null;
  title: string;
  text: string;
}

const DETECTION_SAMPLE_PER_ITEM = 200;
const ITEM_SAMPLE_LENGTH = 1000;

/**
 * Each item's language: its own declaration, else the feed's (or the source's configured
 * one), else detection. A declaration gives way only to text that is long enough and clearly
 * in another language (a Ukrainian agency's English feed that carries Ukrainian copy).
 *
 * Feed-level choices are made once per feed, on a little of every item: feeds are monolingual
 * in practice, a sample across items beats one short title, and trigram detection per item
 * would cost more than parsing the whole feed. Items that declare their own language are
 * checked one by one, as they are the exception.
 */
export function chooseLanguages(items: LanguageEvidence[], feedLanguage: string | null): string[] {
  let feedChoice: string | null = null;
  const forFeed = () => {
    feedChoice ??= feedLevelLanguage(items, feedLanguage);
    return feedChoice;
  };
  return items.map((item) => {
    if (item.declared === null) return forFeed();
    const text = sampleOf(item, ITEM_SAMPLE_LENGTH);
    return contradictedLanguage(text, item.declared) ?? item.declared;
  });
}

function feedLevelLanguage(items: LanguageEvidence[], feedLanguage: string | null): string {
  const sample = items.map((item) => sampleOf(item, DETECTION_SAMPLE_PER_ITEM)).join("\n");
  if (feedLanguage === null) return detectLanguage(sample);
  return contradictedLanguage(sample, feedLanguage) ?? feedLanguage;
}

/** The head of an item's title and text; the text is cut first, as copying all of it would cost more than detection. */
function sampleOf(item: LanguageEvidence, length: number): string {
  return `${item.title}. ${item.text.slice(0, length)}`.slice(0, length);
}
