import type { QaFlag } from "@babelwire/core";

export type QaResult = Required<Omit<QaFlag, "segments">>;

/** Digit groups as written, with thousands separators and decimal marks taken out. */
export function numbersIn(text: string): string[] {
  return (text.match(/\d[\d.,\u00a0\u202f ]*\d|\d/g) ?? []).map((n) => n.replace(/[.,\u00a0\u202f ]/g, ""));
}

function tagCounts(html: string): Map<string, number> {
  const counts = new Map<string, number>();
  // [^<>], not [^>]: a tag never holds "<" (attribute values are escaped), and an unclosed one
  // is then given up at the next "<" rather than scanned to the end from every "<" (quadratic).
  for (const match of html.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9]*)\b[^<>]*?(\/?)>/g)) {
    const [, closing, name = "", selfClosing] = match;
    if (selfClosing || /^(br|img|hr)$/i.test(name)) continue;
    const key = name.toLowerCase();
    counts.set(key, (counts.get(key) ?? 0) + (closing ? -1 : 1));
  }
  return counts;
}

/**
 * A capitalized word the engine did not know is nearly always a name, and a name kept as
 * written is the right translation; so are short tokens (`ed.`, `pp`), mostly abbreviations.
 * A longer lower-case word is vocabulary the engine lacks: the reader would see English.
 */
function isVocabularyGap(word: string): boolean {
  return !/^[\p{Lu}\p{Lt}\d]/u.test(word) && [...word].length >= 4;
}

/** The link targets of html, as written. Each scan stops at the next `<`: linear on unclosed tags. */
function hrefs(html: string): string[] {
  return [...html.matchAll(/<a\b[^<>]*?\shref\s*=\s*(?:"([^"<>]*)"|'([^'<>]*)'|([^\s<>]+))/gi)].map(
    (match) => match[1] ?? match[2] ?? match[3] ?? "",
  );
}

function stripTags(html: string): string {
  // [^<>] for the same reason as in tagCounts.
  return html.replace(/<[^<>]*>/g, " ");
}

/**
 * Checks a machine translation against its source. `error` marks what is surely wrong (a number
 * or link lost, markup broken, a segment left empty, a glossary term or a name lost) and keeps
 * an `auto` source from publishing it; `warning` is what an editor should look at, and holds
 * only a `strict` source's. README's "QA flags" table lists them all.
 */
export function checkTranslation(
  sources: string[],
  targets: string[],
  options: {
    unknownWords: string[];
    /** Glossary terms the engine lost on the way (their placeholder did not come back). */
    glossaryLost?: string[] | undefined;
    /** People's names the engine lost on the way (their placeholder did not come back). */
    namesLost?: string[] | undefined;
    /** The engine went through English (it had no direct pair): nuance may be lost twice. */
    pivotUsed?: boolean | undefined;
  },
): QaResult[] {
  const flags: QaResult[] = [];
  const missing = new Set<string>();
  const linksLost = new Set<string>();
  sources.forEach((source, index) => {
    const target = targets[index] ?? "";
    const targetLinks = hrefs(target);
    for (const href of hrefs(source)) {
      const at = targetLinks.indexOf(href);
      if (at < 0) linksLost.add(href);
      else targetLinks.splice(at, 1);
    }
    const targetNumbers = new Set(numbersIn(stripTags(target)));
    for (const number of numbersIn(stripTags(source))) if (!targetNumbers.has(number)) missing.add(number);
    if (source.trim() && !target.trim()) {
      flags.push({ code: "segment_empty", severity: "error", message: `Segment ${index + 1} came back empty.` });
    }
    const unbalanced = [...tagCounts(target)].filter(([, count]) => count !== 0).map(([tag]) => tag);
    if (unbalanced.length > 0) {
      flags.push({
        code: "markup_unbalanced",
        severity: "error",
        message: `Segment ${index + 1} has unbalanced <${unbalanced.join(">, <")}>.`,
      });
    }
  });
  if (missing.size > 0) {
    flags.push({
      code: "number_missing",
      severity: "error",
      message: `Numbers missing from the translation: ${[...missing].join(", ")}.`,
    });
  }
  if (linksLost.size > 0) {
    flags.push({
      code: "link_missing",
      severity: "error",
      message: `Links missing from the translation: ${[...linksLost].join(", ")}.`,
    });
  }
  const words = [...new Set(options.unknownWords.filter(isVocabularyGap))];
  if (words.length > 0) {
    flags.push({
      code: "untranslated_words",
      severity: "warning",
      message: `Words the engine did not know: ${words.slice(0, 20).join(", ")}${words.length > 20 ? ", …" : ""}.`,
    });
  }
  if (options.glossaryLost && options.glossaryLost.length > 0) {
    flags.push({
      code: "glossary_term_missing",
      severity: "error",
      message: `Glossary terms not rendered as the glossary says: ${options.glossaryLost.join(", ")}.`,
    });
  }
  if (options.namesLost && options.namesLost.length > 0) {
    flags.push({
      code: "name_missing",
      severity: "error",
      message: `Names not kept as written: ${options.namesLost.join(", ")}.`,
    });
  }
  if (options.pivotUsed) {
    flags.push({
      code: "pivot_used",
      severity: "warning",
      message: "Translated through English: the engine has no direct pair for these languages.",
    });
  }
  const sourceLength = sources.join("").length;
  const ratio = sourceLength > 200 ? targets.join("").length / sourceLength : 1;
  if (ratio < 0.5 || ratio > 2) {
    flags.push({
      code: "length_ratio",
      severity: "warning",
      message: `Translation is ${ratio.toFixed(2)}× the source length.`,
    });
  }
  return flags;
}

/**
 * Whether QA holds a translation back from publishing without a person: under `auto` only an
 * error does (a number or link lost, markup broken, a glossary term or name missing, an empty
 * segment); warnings publish and stay visible on the translation. Under `strict` any flag does.
 */
export function blocksAutoPublish(flags: QaFlag[], policy: "auto" | "strict" = "auto"): boolean {
  return policy === "strict" ? flags.length > 0 : flags.some((flag) => flag.severity !== "warning");
}
