/*
 * Function words carry no topic, so two sentences sharing "the" and "of" are not alike.
 * Short lists for the languages Babelwire handles most; other languages rank without one.
 */
const STOPWORDS: Readonly<Record<string, string>> = {
  en: `a an and are as at be been but by for from had has have he her his i in is it its not of on or our
       she so that the their them there they this to was we were which who will with would you`,
  es: `a al como con de del el ella en es esta este fue ha la las lo los más no o para pero por que se su
       sus un una y ya`,
  ca: "a al als amb de del el els en és es la les i o per però que què se seu seva un una va",
  uk: `і й та в у на з із до що це як за від по не а але ж же ми він вона вони його її їх був була було
       бути`,
  ru: `и в во на с со к ко что это как за от по не а но же мы он она они его ее их был была было быть из
       для`,
};

export function stopwordsFor(language: string): ReadonlySet<string> {
  return new Set((STOPWORDS[language] ?? "").split(/\s+/).filter(Boolean));
}
