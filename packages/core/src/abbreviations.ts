import { primaryLanguage } from "./languages.ts";

/*
 * ICU's sentence rules (Intl.Segmenter) break after any full stop followed by a space and a
 * capital: "Mr. | Smith", "the U.S. | Congress", "Dr. | Pérez", "В. | Зеленський". These lists
 * undo such breaks. A wrong merge only makes a translation-memory unit longer; a wrong break
 * hands an engine half a sentence, so when in doubt we merge.
 *
 * Only abbreviations that stand before a name or a number are listed: those that often end a
 * sentence ("Inc.", "etc.", "р." for a year, "тис.") are left to ICU, which already keeps them
 * whole when a lowercase word follows.
 */
const BEFORE_NAMES: Readonly<Record<string, readonly string[]>> = {
  en: [
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "gen",
    "lt",
    "col",
    "maj",
    "capt",
    "cmdr",
    "sgt",
    "adm",
    "sen",
    "rep",
    "gov",
    "pres",
    "st",
    "mt",
    "ft",
    "rev",
    "hon",
    "jr",
    "sr",
    "messrs",
    "vs",
    "approx",
    "cf",
  ],
  uk: [
    "вул",
    "просп",
    "пров",
    "пл",
    "бульв",
    "ген",
    "проф",
    "акад",
    "доц",
    "канд",
    "докт",
    "св",
    "ім",
    "див",
    "зв",
    "напр",
    "пор",
  ],
  ru: ["ул", "просп", "пер", "пл", "бульв", "ген", "проф", "акад", "доц", "канд", "св", "им", "см", "напр", "тов"],
  es: [
    "sr",
    "sra",
    "srta",
    "sres",
    "dr",
    "dra",
    "dña",
    "lic",
    "ing",
    "arq",
    "gral",
    "gob",
    "pdte",
    "sto",
    "sta",
    "av",
    "avda",
    "ee",
    "uu",
    "ej",
    "vs",
  ],
  ca: ["sr", "sra", "srta", "dr", "dra", "av", "pl", "gral", "gen"],
  fr: ["mm", "mme", "mlle", "dr", "pr", "me", "mgr", "st", "ste", "av", "bd", "gén"],
  de: ["hr", "fr", "dr", "prof", "st", "bzw", "ca", "vgl", "ggf", "sog"],
};

/** Abbreviations that stand before a number: "No. 5", "art. 12", "ст. 111", and months ("Jan. 5"). */
const BEFORE_NUMBERS: Readonly<Record<string, readonly string[]>> = {
  en: [
    "no",
    "nos",
    "art",
    "arts",
    "fig",
    "p",
    "pp",
    "vol",
    "ch",
    "sec",
    "para",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
  ],
  uk: [
    "ст",
    "п",
    "пп",
    "ч",
    "рис",
    "т",
    "січ",
    "лют",
    "бер",
    "квіт",
    "трав",
    "черв",
    "лип",
    "серп",
    "вер",
    "жовт",
    "лист",
    "груд",
  ],
  ru: ["ст", "п", "пп", "ч", "рис", "т", "янв", "фев", "февр", "мар", "апр", "авг", "сент", "окт", "нояб", "дек"],
  es: ["núm", "art", "pág", "págs", "cap", "fig", "vol", "n", "ene", "feb", "abr", "ago", "sept", "oct", "nov", "dic"],
  ca: ["núm", "art", "pàg", "cap", "fig", "vol", "febr", "set", "oct", "nov", "des"],
  fr: ["no", "art", "p", "fig", "vol", "ch", "janv", "févr", "avr", "juil", "sept", "oct", "nov", "déc"],
  de: ["nr", "art", "abs", "s", "abb", "bd", "kap", "jan", "feb", "febr", "aug", "sept", "okt", "nov", "dez"],
};

/**
 * One-letter abbreviations that end a sentence after a number ("у 2024 р.", "100 м.") but stand
 * before a name otherwise ("р. Дніпро", "м. Київ", "г. Москва").
 */
const AFTER_NUMBERS_OR_BEFORE_NAMES: Readonly<Record<string, readonly string[]>> = {
  uk: ["р", "м", "с"],
  ru: ["г", "р", "м", "с"],
};

/** Decides, for one language, whether ICU's break after `before` should be undone. */
export function abbreviationRule(lang: string): (before: string, after: string) => boolean {
  const primary = primaryLanguage(lang);
  const names = new Set(BEFORE_NAMES[primary] ?? []);
  const numbers = new Set(BEFORE_NUMBERS[primary] ?? []);
  const places = new Set(AFTER_NUMBERS_OR_BEFORE_NAMES[primary] ?? []);
  // German writes ordinals with a full stop: "am 5. März" is one sentence.
  const ordinals = primary === "de";
  return (before, after) => {
    const [, previousWord = "", lastWord = ""] = /(?:(\S+)\s+)?(\S+)$/u.exec(before) ?? [];
    const word = lastWord.replace(/^[([{«"“‘'¿¡]+/u, "");
    if (!word.endsWith(".")) return false;
    const stem = word.slice(0, -1);
    // An initial ("J.", "В.") or a dotted acronym ("U.S.", "e.g.", "т.д.").
    if (/^\p{Lu}$/u.test(stem) || /^(?:\p{L}{1,3}\.)+\p{L}{1,3}$/u.test(stem)) return true;
    const lower = stem.toLowerCase();
    if (names.has(lower)) return true;
    if (numbers.has(lower) && /^\d/u.test(after)) return true;
    if (places.has(lower)) return !/\d$/u.test(previousWord);
    return ordinals && /^\d{1,2}$/u.test(stem);
  };
}
