/**
 * Apertium names languages with ISO 639-3 codes (`eng`, `spa`); Babelwire speaks BCP 47.
 * Only languages Apertium ships pairs for need to be here; an unlisted code is simply not offered.
 */
const BCP47_TO_APERTIUM: Readonly<Record<string, string>> = {
  an: "arg",
  ar: "ara",
  ast: "ast",
  be: "bel",
  br: "bre",
  ca: "cat",
  cy: "cym",
  da: "dan",
  de: "deu",
  en: "eng",
  eo: "epo",
  es: "spa",
  eu: "eus",
  fr: "fra",
  gl: "glg",
  hi: "hin",
  id: "ind",
  is: "isl",
  it: "ita",
  kk: "kaz",
  ms: "msa",
  mt: "mlt",
  nb: "nob",
  nl: "nld",
  nn: "nno",
  oc: "oci",
  pl: "pol",
  pt: "por",
  ro: "ron",
  ru: "rus",
  sc: "srd",
  sv: "swe",
  tt: "tat",
  uk: "ukr",
  ur: "urd",
};

const APERTIUM_TO_BCP47: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(BCP47_TO_APERTIUM).map(([tag, code]) => [code, tag]),
);

/** The Apertium code for a BCP 47 tag's primary language (`pt-BR` → `por`), if Apertium has one. */
export function toApertiumCode(tag: string): string | undefined {
  const primary = tag.split("-")[0]?.toLowerCase() ?? "";
  return BCP47_TO_APERTIUM[primary];
}

export function fromApertiumCode(code: string): string | undefined {
  return APERTIUM_TO_BCP47[code];
}

/**
 * A plain mode name (`eng-spa`) as a BCP 47 pair. Variant modes (`eng-cat_valencia`,
 * `cat-eng_US`) are left out: they are not what a caller asking for `ca` or `en` means.
 */
export function pairFromModeName(mode: string): { from: string; to: string } | undefined {
  const match = /^([a-z]{2,3})-([a-z]{2,3})$/.exec(mode.trim());
  if (!match?.[1] || !match[2]) return undefined;
  const from = fromApertiumCode(match[1]);
  const to = fromApertiumCode(match[2]);
  return from && to ? { from, to } : undefined;
}

/** The mode name for a BCP 47 pair, if both languages have Apertium codes. */
export function modeNameForPair(from: string, to: string): string | undefined {
  const source = toApertiumCode(from);
  const target = toApertiumCode(to);
  return source && target ? `${source}-${target}` : undefined;
}
