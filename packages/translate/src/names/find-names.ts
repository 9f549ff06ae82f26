import type { SegmentFormat } from "../engines/engine.ts";
import type { Lexicon, WordReadings } from "./lexicon.ts";

/*
 * People's names, found without a glossary, so that they come out of any engine as written.
 *
 * A name is a run of capitalised words (with initials and particles such as "von der") that holds
 * a person's name by the dictionary's word: a first name ("Donald", "Theresa", "Bridget") starts
 * a name that takes the capitalised words after it, whatever else they mean ("Trump", "May",
 * "Brink"); a word the dictionary does not know starts one that takes only further unknown or
 * name words ("Kyrylo Budanov", not "Kyiv City Council"). A lone unknown word is not protected:
 * engines keep it anyway, and one that knows it better (a place: "Kyiv" → "Kiev") may translate it.
 * The last word of every name found is a name wherever it stands capitalised in the same article
 * ("Rutte" after "Mark Rutte"), unless it is a month read as one ("in May 2024").
 *
 * Places and organisations the dictionary knows ("North Korea", "NATO", "European Union") start
 * no name: the engine still translates them.
 */

export interface NameSpan {
  start: number;
  end: number;
}

/** Finds names in any text of the article it was built for. */
export interface NameFinder {
  /** The names in `text` (html or plain as the article's segments), as offsets into it, in order. */
  spans(text: string): NameSpan[];
}

const NO_NAMES: NameFinder = { spans: () => [] };

/** Lower-case words that stand inside a name: "Ursula von der Leyen", "Luiz Inácio Lula da Silva". */
const PARTICLES = new Set([
  "al",
  "bin",
  "da",
  "das",
  "de",
  "del",
  "der",
  "di",
  "do",
  "dos",
  "du",
  "ibn",
  "la",
  "le",
  "ten",
  "ter",
  "van",
  "von",
]);

/**
 * Capitalised words that stand before names without being part of them ("Leader of the House
 * Penny Mordaunt", "Senator Rand Paul"): a name never takes them in when it reaches back a word.
 */
const TITLES = new Set(
  [
    "adviser advisor ambassador admiral archbishop attorney bishop cardinal captain ceo chair chairman chairwoman",
    "chancellor chief colonel commander commissioner congressman congresswoman councillor deputy director doctor",
    "dr duke emperor envoy executive founder general governor head house judge justice king lady leader lieutenant",
    "lord major marshal mayor minister mp mr mrs ms officer patriarch pope premier presenter president prime",
    "prince princess professor prosecutor queen rabbi representative secretary senator sergeant sheikh sir",
    "speaker spokesman spokesperson spokeswoman sultan vice",
  ]
    .join(" ")
    .split(" "),
);

/** Words in one name, particles aside: "Luiz Inácio Lula da Silva". */
const MAX_NAME_WORDS = 4;

/** Words before a month that make a reused surname a date instead: "in May", "since March". */
const DATE_WORDS = new Set([
  "in",
  "on",
  "since",
  "until",
  "till",
  "by",
  "from",
  "of",
  "last",
  "next",
  "early",
  "late",
  "mid",
  "this",
  "that",
  "before",
  "after",
  "during",
  "through",
  "throughout",
]);

/** Words, with inner hyphens and apostrophes ("Jean-Claude", "O'Brien"); `'s` is not part of one. */
const WORD = /[\p{L}\p{M}]+(?:[-'’][\p{L}\p{M}]+)*/gu;
const TAG = /<[^>]*>/g;
const ENTITY = /&(?:#[xX][0-9a-fA-F]+|#\d+|[a-zA-Z][a-zA-Z0-9]*);/g;
/** Our own placeholders (glossary terms, names) are not names of the text's. */
const PLACEHOLDER = /^Zxq[vw][a-z]+q$/;

interface Token {
  word: string;
  start: number;
  end: number;
}

function isCapitalised(word: string): boolean {
  return /^\p{Lu}/u.test(word);
}

function isAcronym(word: string): boolean {
  return /^[\p{Lu}\p{N}]{2,}$/u.test(word);
}

/** The words of a text, with markup and entities read as separators. */
function tokens(text: string, format: SegmentFormat): Token[] {
  const masked = format === "html" ? text.replace(TAG, (tag) => "\uE000".repeat(tag.length)) : text;
  const plain = format === "html" ? masked.replace(ENTITY, (entity) => " ".repeat(entity.length)) : masked;
  const found: Token[] = [];
  for (const match of plain.matchAll(WORD)) {
    let word = match[0];
    // "Trump's" is "Trump" and a possessive.
    const possessive = /^(.+?)['’]s$/u.exec(word);
    if (possessive?.[1]) word = possessive[1];
    found.push({ word, start: match.index, end: match.index + word.length });
  }
  return found;
}

/** The words worth asking the dictionary about: every capitalised word and its lower-case form. */
export function wordsToAnalyse(texts: readonly string[], format: SegmentFormat): string[] {
  const words = new Set<string>();
  for (const text of texts) {
    for (const { word } of tokens(text, format)) {
      if (!isCapitalised(word) || PLACEHOLDER.test(word)) continue;
      words.add(word);
      for (const part of word.split(/[-'’]/)) if (part) words.add(part);
    }
  }
  return [...words];
}

type Kind = "given" | "surname" | "unknown" | "place" | "common";

interface WordFacts {
  kind: Kind;
  /** Read as a common word too ("Mark" the noun, "May" the month). */
  common: boolean;
  /** A capitalised common noun: a month or a weekday ("May<n>"). */
  calendar: boolean;
  /** Read as a noun or an adjective (or not known): it may be a surname, unlike "Says" in a headline. */
  nominal: boolean;
  /** Read as a verb: "Sue" before "Gray". */
  verbal: boolean;
}

function factsOf(word: string, readings: Map<string, WordReadings>): WordFacts {
  const parts = word.split(/[-'’]/).filter(Boolean);
  const entry = readings.get(word);
  // A hyphenated word is known when the analyser knows it or any of its parts ("Indo-Pacific").
  const known = entry?.known === true || (parts.length > 1 && parts.some((part) => readings.get(part)?.known));
  const all = [entry, ...(parts.length > 1 ? parts.map((part) => readings.get(part)) : [])].flatMap(
    (item) => item?.readings ?? [],
  );
  const has = (...tags: string[]) => all.some((reading) => tags.every((tag) => reading.tags.includes(tag)));
  const common = all.some((reading) => reading.tags[0] !== "np");
  const calendar = all.some((reading) => reading.tags[0] === "n" && /^\p{Lu}/u.test(reading.lemma));
  const nominal = !known || all.some((reading) => ["n", "np", "adj"].includes(reading.tags[0] ?? ""));
  let kind: Kind = "common";
  if (!known) kind = "unknown";
  else if (has("np", "ant")) kind = "given";
  else if (
    all.some((reading) => reading.tags[0] === "np" && ["loc", "top", "org", "al"].includes(reading.tags[1] ?? ""))
  )
    kind = "place";
  else if (has("np", "cog")) kind = "surname";
  else if (all.some((reading) => reading.tags.includes("acr"))) kind = "place";
  const verbal = all.some((reading) => (reading.tags[0] ?? "").startsWith("vb"));
  return { kind, common, calendar, nominal, verbal };
}

/**
 * The names of one article, given all its segments (so a name seen anywhere is known everywhere)
 * and the dictionary of its source language. Without a dictionary, no names are found.
 */
export async function findArticleNames(
  lexicon: Lexicon | undefined,
  from: string,
  to: string,
  segments: readonly string[],
  format: SegmentFormat,
): Promise<NameFinder> {
  if (!lexicon) return NO_NAMES;
  const readings = await lexicon.analyse(from, to, wordsToAnalyse(segments, format));
  if (!readings) return NO_NAMES;
  const facts = new Map<string, WordFacts>();
  const factOf = (word: string) => {
    let known = facts.get(word);
    if (!known) {
      known = factsOf(word, readings);
      facts.set(word, known);
    }
    return known;
  };
  const surnames = new Set<string>();
  for (const segment of segments) {
    for (const span of runSpans(segment, format, factOf)) {
      const words = tokens(segment.slice(span.start, span.end), "text");
      const last = words.at(-1)?.word;
      if (words.length > 1 && last && last.length > 1) surnames.add(last);
    }
  }
  return {
    spans(text) {
      const found = runSpans(text, format, factOf);
      const list = tokens(text, format);
      list.forEach((token, index) => {
        if (!surnames.has(token.word)) return;
        if (found.some((span) => token.start < span.end && span.start < token.end)) return;
        const fact = factOf(token.word);
        if (fact.calendar) {
          const before = list[index - 1]?.word.toLowerCase() ?? "";
          const after = text.slice(token.end).match(/^\s*(\S)/u)?.[1] ?? "";
          if (DATE_WORDS.has(before) || /\d/u.test(after)) return;
        }
        found.push({ start: token.start, end: token.end });
      });
      return found.sort((a, b) => a.start - b.start);
    },
  };
}

/** The names in the runs of capitalised words of one text. */
function runSpans(text: string, format: SegmentFormat, factOf: (word: string) => WordFacts): NameSpan[] {
  const list = tokens(text, format);
  const spans: NameSpan[] = [];
  let index = 0;
  while (index < list.length) {
    const run = runAt(text, list, index);
    if (run.length === 0) {
      index++;
      continue;
    }
    const institution = /(?:^|[^\p{L}])the\s+$/iu.test(text.slice(0, (run[0] as Token).start));
    spans.push(...namesInRun(run, factOf, institution));
    index += run.length;
  }
  return spans;
}

/** The run of capitalised words (with particles and initials inside) starting at `index`, or []. */
function runAt(text: string, list: Token[], index: number): Token[] {
  const first = list[index];
  if (!first || !isCapitalised(first.word) || PLACEHOLDER.test(first.word)) return [];
  const run = [first];
  let at = index + 1;
  while (at < list.length) {
    const previous = run.at(-1) as Token;
    const next = list[at] as Token;
    const gap = text.slice(previous.end, next.start);
    const initial = /^\p{Lu}$/u.test(previous.word) && /^\.\s$/u.test(gap);
    if (!initial && !/^[ \u00a0]$/u.test(gap)) break;
    if (isCapitalised(next.word) && !PLACEHOLDER.test(next.word)) {
      run.push(next);
      at++;
      continue;
    }
    // A particle belongs to the run only between two capitalised words.
    const after = list[at + 1];
    if (
      PARTICLES.has(next.word) &&
      after &&
      isCapitalised(after.word) &&
      /^[ \u00a0]$/u.test(text.slice(next.end, after.start))
    ) {
      run.push(next, after);
      at += 2;
      continue;
    }
    break;
  }
  return run;
}

/** Which stretches of a run are people's names; `afterThe`: the run follows "the". */
function namesInRun(run: Token[], factOf: (word: string) => WordFacts, afterThe: boolean): NameSpan[] {
  const spans: NameSpan[] = [];
  let index = 0;
  while (index < run.length) {
    const start = run[index] as Token;
    if (PARTICLES.has(start.word) || isAcronym(start.word)) {
      index++;
      continue;
    }
    const fact = factOf(start.word);
    // A surname that is also a common word ("Gray", "May") is one only after a word that can be a first name.
    const surnameAfterName = fact.kind === "surname" && fact.common && mayBeFirstName(run, index - 1, factOf);
    const opensName =
      fact.kind === "given" || fact.kind === "unknown" || (fact.kind === "surname" && !fact.common) || surnameAfterName;
    if (!opensName) {
      index++;
      continue;
    }
    // An unknown or surname word reaches back to a first name the dictionary lacks ("Penny Mordaunt", "Sue Gray").
    const first = fact.kind !== "given" && mayBeFirstName(run, index - 1, factOf) ? index - 1 : index;
    // After a first name any capitalised word is a surname ("Jack Straw"); after an unknown word only name words.
    let end = index + 1;
    while (end < run.length) {
      const word = (run[end] as Token).word;
      if (isAcronym(word)) break;
      if (PARTICLES.has(word)) {
        end++;
        continue;
      }
      const next = factOf(word);
      if (next.kind === "place" || !next.nominal || end - first >= MAX_NAME_WORDS) break;
      if (fact.kind !== "given" && next.kind === "common") break;
      end++;
    }
    while (end > index + 1 && PARTICLES.has((run[end - 1] as Token).word)) end--;
    const length = end - first;
    // One word alone is a name only when it can be nothing else: "Donald", not "Mark" or a lone "Kyiv".
    const alone = length === 1 && (fact.kind === "unknown" || fact.common);
    // "the White House", "the Verkhovna Rada": after "the" a run names an institution, unless a first name opens it.
    const institution = afterThe && first === 0 && factOf((run[0] as Token).word).kind !== "given";
    if (!alone && !institution) spans.push({ start: (run[first] as Token).start, end: (run[end - 1] as Token).end });
    index = end;
  }
  return spans;
}

/**
 * Whether the capitalised word at `index` of a run, before a surname, may be a first name: not a
 * title, a place or an acronym, and opening the run or following a title ("Penny Mordaunt" after
 * "House"), not inside a longer name ("Main Intelligence Directorate").
 */
function mayBeFirstName(run: Token[], index: number, factOf: (word: string) => WordFacts): boolean {
  const token = run[index];
  if (!token || PARTICLES.has(token.word) || isAcronym(token.word) || TITLES.has(token.word.toLowerCase())) {
    return false;
  }
  const before = run[index - 1];
  if (before && !TITLES.has(before.word.toLowerCase())) return false;
  const fact = factOf(token.word);
  return fact.kind !== "place" && (fact.kind === "given" || fact.kind === "unknown" || fact.nominal || fact.verbal);
}
