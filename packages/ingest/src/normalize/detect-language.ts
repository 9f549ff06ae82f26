import { normalizeLanguageTag } from "@babelwire/core";
import { franc } from "franc-min";

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
