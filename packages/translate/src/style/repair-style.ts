import { primaryLanguage } from "@babelwire/core";
import type { SegmentFormat } from "../engines/engine.ts";
import type { Lexicon, WordReadings } from "../names/lexicon.ts";

/*
 * Wire style, repaired after any engine, on what it returned (placeholders of names and glossary
 * terms still in place, so no repair can touch them):
 * - case copied onto the wrong words: an all-capitals common word beside an acronym ("DE LA OTAN"),
 *   a capitalised verb or function word inside a sentence ("Rutte Aseguró", "coreano Del norte");
 * - acronyms lowered ("la otan"), put back in capitals when the dictionary knows them so;
 * - spaces doubled, before closing punctuation or after opening punctuation, at a paragraph's edges;
 * - a doubled full stop after an abbreviation ("EE.UU..");
 * - straight double quotes, where the source had them, in the target language's convention.
 * Only letters' case, spaces and quotation marks change: never a digit, a tag or an entity.
 * The case repairs need the target language's dictionary; without one only the others apply.
 */

export interface StyleDictionary {
  readings: Map<string, WordReadings>;
}

/** Opening and closing double quotes per primary language; English-style curly quotes elsewhere. */
const QUOTES: Readonly<Record<string, readonly [string, string]>> = {
  an: ["«", "»"],
  ast: ["«", "»"],
  be: ["«", "»"],
  ca: ["«", "»"],
  es: ["«", "»"],
  eu: ["«", "»"],
  fr: ["«\u202f", "\u202f»"],
  gl: ["«", "»"],
  it: ["«", "»"],
  nb: ["«", "»"],
  nn: ["«", "»"],
  oc: ["«", "»"],
  pt: ["«", "»"],
  ru: ["«", "»"],
  uk: ["«", "»"],
  de: ["„", "“"],
  cs: ["„", "“"],
  sk: ["„", "“"],
  pl: ["„", "”"],
  ro: ["„", "”"],
  hu: ["„", "”"],
  sv: ["”", "”"],
  fi: ["”", "”"],
};

/** Languages whose comma and full stop go after a closing quote: «…», dijo. */
const PUNCTUATION_AFTER_QUOTE = new Set(["es", "ca", "gl", "an", "ast", "oc", "eu"]);
/** French puts a (narrow) space before these; elsewhere none. */
const SPACED_BEFORE_FR = /[;:!?]/;

/** Parts of speech a capital inside a sentence never belongs to: verbs and function words. */
const NEVER_CAPITALISED = new Set([
  "vblex",
  "vbser",
  "vbhaver",
  "vbmod",
  "vaux",
  "vbdo",
  "pr",
  "det",
  "prn",
  "cnjcoo",
  "cnjsub",
  "cnjadv",
  "rel",
  "preadv",
  "predet",
  "adv",
]);

/** Prepositions an engine doubles when it translates "of" twice ("la parte europea de de la OTAN"). */
const DOUBLED: Readonly<Record<string, RegExp>> = {
  es: /(?<![\p{L}])(de|en|a) \1(?![\p{L}])/gu,
  ca: /(?<![\p{L}])(de|en|a) \1(?![\p{L}])/gu,
  pt: /(?<![\p{L}])(de|em|a) \1(?![\p{L}])/gu,
  it: /(?<![\p{L}])(di|in|a) \1(?![\p{L}])/gu,
  fr: /(?<![\p{L}])(de|en|à) \1(?![\p{L}])/gu,
};

const BLOCK = "p|li|h[1-6]|blockquote|td|th|dd|dt|figcaption|div|caption";
const BLOCK_OPEN_SPACE = new RegExp(`(<(?:${BLOCK})\\b[^>]*>)[ \\t]+`, "gi");
const BLOCK_CLOSE_SPACE = new RegExp(`[ \\t]+(</(?:${BLOCK})>)`, "gi");

const WORD = /[\p{L}\p{M}]+/gu;
const PLACEHOLDER = /^Zxq[vw][a-z]+q$/;

function isAllCaps(word: string): boolean {
  return /^\p{Lu}{2,}$/u.test(word);
}

function isCapitalisedWord(word: string): boolean {
  return /^\p{Lu}[\p{Ll}\p{M}]+$/u.test(word);
}

/** Tags become NULs and entities stay: offsets are the markup's, and no tag's text is read as words. */
function masked(text: string, format: SegmentFormat): string {
  return format === "html" ? text.replace(/<[^>]*>/g, (tag) => "\uE000".repeat(tag.length)) : text;
}

function words(text: string): Array<{ word: string; start: number }> {
  return [...text.matchAll(WORD)].map((match) => ({ word: match[0], start: match.index }));
}

/** Mostly capitals: a shouted headline, whose case an engine may keep. */
function shouted(text: string): boolean {
  const letters = text.replace(/[^\p{L}]/gu, "");
  const upper = letters.replace(/[^\p{Lu}]/gu, "");
  return letters.length > 0 && upper.length / letters.length > 0.6;
}

/** What the case repairs will ask the target language's dictionary about, for these targets. */
export function wordsForStyle(sources: readonly string[], targets: readonly string[], format: SegmentFormat): string[] {
  const asked = new Set<string>();
  targets.forEach((target, index) => {
    const acronymInSource = words(masked(sources[index] ?? "", format)).some(({ word }) => isAllCaps(word));
    for (const { word } of words(masked(target, format))) {
      if (PLACEHOLDER.test(word)) continue;
      if (isAllCaps(word) || isCapitalisedWord(word)) asked.add(word);
      else if (acronymInSource && /^\p{Ll}{2,}$/u.test(word)) {
        asked.add(word);
        asked.add(word.toUpperCase());
      }
    }
  });
  return [...asked];
}

/** The target language's readings of the words the repairs will look at, or undefined without a dictionary. */
export async function styleDictionary(
  lexicon: Lexicon | undefined,
  from: string,
  to: string,
  sources: readonly string[],
  targets: readonly string[],
  format: SegmentFormat,
): Promise<StyleDictionary | undefined> {
  if (!lexicon) return undefined;
  const readings = await lexicon.analyse(to, from, wordsForStyle(sources, targets, format));
  return readings && { readings };
}

/** Repairs one target against its source (see the top of this file). */
export function repairStyle(
  source: string,
  target: string,
  options: { to: string; format: SegmentFormat; dictionary?: StyleDictionary | undefined },
): string {
  const lang = primaryLanguage(options.to);
  let text = options.dictionary ? repairCase(source, target, options.format, options.dictionary) : target;
  text = mapText(text, options.format, (part) => repairSpaces(part, lang));
  if (options.format === "html") text = text.replace(BLOCK_OPEN_SPACE, "$1").replace(BLOCK_CLOSE_SPACE, "$1");
  if (hasStraightQuotes(source, options.format)) text = convertQuotes(text, lang, options.format);
  return text;
}

/** Applies `change` to each run of text between tags (the whole text in plain format). */
function mapText(text: string, format: SegmentFormat, change: (part: string) => string): string {
  if (format === "text") return change(text);
  return text
    .split(/(<[^>]*>)/)
    .map((part, index) => (index % 2 === 1 ? part : change(part)))
    .join("");
}

function repairSpaces(part: string, lang: string): string {
  let text = part.replace(/ {2,}/g, " ");
  text = text.replace(/ +([,.;:!?)\]}»”…])/g, (whole, mark: string) =>
    lang === "fr" && SPACED_BEFORE_FR.test(mark) ? whole : mark,
  );
  text = text.replace(/([([{«“¿¡]) +/g, "$1");
  text = text.replace(DOUBLED[lang] ?? /(?!)/, "$1");
  // "EE.UU.." — an abbreviation's full stop and the sentence's are one; an ellipsis is left alone.
  text = text.replace(/(?<=\p{L})\.\.(?!\.)/gu, ".");
  return text;
}

function hasStraightQuotes(source: string, format: SegmentFormat): boolean {
  const text = masked(source, format);
  return text.includes('"') || (format === "html" && text.includes("&quot;"));
}

/**
 * Straight double quotes (and `&quot;` in html text) become the language's: an opening one after
 * a space, an opening bracket or the start, a closing one elsewhere.
 */
function convertQuotes(text: string, lang: string, format: SegmentFormat): string {
  const [open, close] = QUOTES[lang] ?? ["“", "”"];
  let previous = "";
  const converted = mapText(text, format, (part) => {
    const out = part.replace(/"|&quot;/g, (_quote, offset: number) => {
      const before =
        offset > 0
          ? part
              .slice(0, offset)
              .replace(/&[#\w]+;$/, " ")
              .slice(-1)
          : previous;
      return before === "" || /[\s([{—–-]/u.test(before) ? open : close;
    });
    if (part) previous = part.slice(-1);
    return out;
  });
  if (!PUNCTUATION_AFTER_QUOTE.has(lang)) return converted;
  return mapText(converted, format, (part) =>
    part.replaceAll(`,${close}`, `${close},`).replaceAll(`.${close}`, `${close}.`),
  );
}

/**
 * Words followed by a full stop that does not end the sentence in the source ("ed.) is", "U.S.
 * president"): after them, the target's next word does not begin a sentence either.
 */
function abbreviationsOf(source: string): Set<string> {
  const found = new Set<string>();
  for (const match of source.matchAll(/([\p{L}]+)\.[)\]"'’”»\uE000]*\s+\p{Ll}/gu)) {
    if (match[1]) found.add(match[1].toLowerCase());
  }
  return found;
}

/** Whether the word at `start` of the masked text begins a sentence (or the segment). */
function beginsSentence(text: string, start: number, abbreviations: Set<string>): boolean {
  let at = start - 1;
  while (at >= 0 && /[\s\uE000"'“”‘’«»([{¿¡—–-]/u.test(text[at] ?? "")) {
    // A closing bracket or quote before the space belongs to what went before: look past it.
    at--;
  }
  if (at < 0) return true;
  const mark = text[at] ?? "";
  if (!/[.!?…:;]/u.test(mark)) return false;
  if (mark !== ".") return true;
  const word = /[\p{L}]+$/u.exec(text.slice(0, at))?.[0]?.toLowerCase() ?? "";
  return !abbreviations.has(word);
}

function readingsOf(dictionary: StyleDictionary, word: string): WordReadings | undefined {
  return dictionary.readings.get(word);
}

function isProperOrAcronym(readings: WordReadings | undefined): boolean {
  return (readings?.readings ?? []).some((reading) => reading.tags[0] === "np" || reading.tags.includes("acr"));
}

function repairCase(source: string, target: string, format: SegmentFormat, dictionary: StyleDictionary): string {
  const plainSource = masked(source, format);
  const sourceWords = new Set(words(plainSource).map(({ word }) => word));
  const acronymInSource = [...sourceWords].some(isAllCaps);
  const loud = shouted(plainSource);
  const abbreviations = abbreviationsOf(plainSource);
  const plain = masked(target, format);
  const changes: Array<{ start: number; word: string }> = [];
  const list = words(plain);
  // A capitalised word beside another is part of a proper name the engine wrote ("Estados Unidos").
  const inCapitalRun = (index: number) =>
    [list[index - 1], list[index + 1]].some((neighbour, side) => {
      if (!neighbour || PLACEHOLDER.test(neighbour.word) || !/^\p{Lu}/u.test(neighbour.word)) return false;
      const self = list[index] as { word: string; start: number };
      const gap =
        side === 0
          ? plain.slice(neighbour.start + neighbour.word.length, self.start)
          : plain.slice(self.start + self.word.length, neighbour.start);
      return /^[ \u00a0]+$/u.test(gap);
    });
  for (const [index, { word, start }] of list.entries()) {
    if (PLACEHOLDER.test(word) || sourceWords.has(word)) continue;
    const readings = readingsOf(dictionary, word);
    if (isAllCaps(word)) {
      // "DE LA OTAN": capitals copied from an acronym onto the words around it.
      if (loud || !readings?.known || isProperOrAcronym(readings)) continue;
      const lower = word.toLowerCase();
      const fixed = beginsSentence(plain, start, abbreviations) ? lower[0]?.toUpperCase() + lower.slice(1) : lower;
      changes.push({ start, word: fixed });
    } else if (isCapitalisedWord(word)) {
      // "Rutte Aseguró": a verb or function word is capitalised only at a sentence's start.
      if (!readings?.known || readings.readings.length === 0 || isProperOrAcronym(readings)) continue;
      if (!readings.readings.every((reading) => NEVER_CAPITALISED.has(reading.tags[0] ?? ""))) continue;
      if (beginsSentence(plain, start, abbreviations) || inCapitalRun(index)) continue;
      changes.push({ start, word: word.toLowerCase() });
    } else if (acronymInSource && /^\p{Ll}{2,}$/u.test(word)) {
      // "la otan": an acronym lowered, when the dictionary knows only its capitals.
      if (readings?.known) continue;
      const upper = readingsOf(dictionary, word.toUpperCase());
      if (upper?.known && upper.readings.some((reading) => reading.tags.includes("acr"))) {
        changes.push({ start, word: word.toUpperCase() });
      }
    }
  }
  let out = target;
  for (const change of changes.reverse()) {
    // Case changes keep the length of these words, so the offsets stay true.
    if (change.word.length !== out.slice(change.start).match(WORD)?.[0]?.length) continue;
    out = out.slice(0, change.start) + change.word + out.slice(change.start + change.word.length);
  }
  return out;
}
