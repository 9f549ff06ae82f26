import { normalizeLanguageTag } from "@babelwire/core";
import { franc, francAll } from "franc-min";
import { data } from "franc-min/data.js";
import { expressions } from "franc-min/expressions.js";

// franc answers ISO 639-3; BCP 47 uses the two-letter ISO 639-1 code where one exists.
const TWO_LETTER: Record<string, string> = {
  eng: "en",
  spa: "es",
  cat: "ca",
  ukr: "uk",
  rus: "ru",
  deu: "de",
  fra: "fr",
  ita: "it",
  por: "pt",
  pol: "pl",
  nld: "nl",
  swe: "sv",
  ces: "cs",
  slk: "sk",
  ron: "ro",
  hun: "hu",
  bul: "bg",
  srp: "sr",
  hrv: "hr",
  bos: "bs",
  ell: "el",
  tur: "tr",
  arb: "ar",
  pes: "fa",
  heb: "he",
  hin: "hi",
  ben: "bn",
  urd: "ur",
  cmn: "zh",
  jpn: "ja",
  kor: "ko",
  vie: "vi",
  ind: "id",
  zlm: "ms",
  tha: "th",
  swh: "sw",
  nob: "nb",
  dan: "da",
  fin: "fi",
  glg: "gl",
  eus: "eu",
};
// Trigram statistics settle long before this; more text only costs time.
const SAMPLE_LENGTH = 1000;
// Below this, franc's guesses are noise (a four-word English title comes out as Kinyarwanda).
const MIN_LENGTH = 40;

/** Guesses the language of a text as a BCP 47 tag, "und" when it cannot tell. */
export function detectLanguage(text: string): string {
  const code = franc(text.slice(0, SAMPLE_LENGTH), { minLength: MIN_LENGTH });
  if (code === "und") return "und";
  return normalizeLanguageTag(TWO_LETTER[code] ?? code) ?? "und";
}

// A declaration is doubted only on this much text: below it trigram scores swing too far.
const CONTRADICTION_MIN_LENGTH = 200;
// Enough to be sure (scores above were measured on 220–250 characters); it runs on every poll
// of every feed that declares a language, so no more.
const CONTRADICTION_SAMPLE_LENGTH = 500;
// francAll scores the best language 1 and others by their distance. A true declaration scores
// above 0.9 even between close languages (Russian text scores 0.93 as Ukrainian); English
// text declared as Spanish scores 0.75, German as English 0.62.
const DECLARED_SCORE_FLOOR = 0.85;
const THREE_LETTER = new Map(Object.entries(TWO_LETTER).map(([three, two]) => [two, three]));
/**
 * The languages franc-min models: those of its trigram tables, and those it tells by script
 * alone (`cmn`, `jpn`, `ell`, …). Only these can be told apart from the others; a declaration
 * of any other (Galician, Basque, Slovak, Norwegian) is never doubted: franc cannot score it.
 */
const MODELED = new Set([
  ...Object.values(data).flatMap((languages) => Object.keys(languages)),
  ...Object.keys(expressions).filter((key) => /^[a-z]{3}$/.test(key)),
]);

/**
 * The language `text` is written in, when it is long enough and franc is sure it is not
 * `declared` (a BCP 47 tag); null when the declaration stands. Only a detector that knows the
 * declared language may overrule it: languages franc-min does not model are never doubted.
 */
export function contradictedLanguage(text: string, declared: string): string | null {
  const sample = text.slice(0, CONTRADICTION_SAMPLE_LENGTH);
  const primary = declared.split("-")[0]?.toLowerCase() ?? "";
  const declaredCode = THREE_LETTER.get(primary);
  if (sample.length < CONTRADICTION_MIN_LENGTH || declaredCode === undefined || !MODELED.has(declaredCode)) return null;
  const scores = francAll(sample, { minLength: MIN_LENGTH });
  const [best] = scores[0] ?? ["und"];
  if (best === "und" || best === declaredCode) return null;
  const declaredScore = scores.find(([code]) => code === declaredCode)?.[1] ?? 0;
  if (declaredScore >= DECLARED_SCORE_FLOOR) return null;
  return normalizeLanguageTag(TWO_LETTER[best] ?? best) ?? null;
}
