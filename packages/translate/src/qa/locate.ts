import type { QaFlag } from "@babelwire/core";
import { numbersIn } from "./check.ts";

const text = (html: string) => html.replace(/<[^>]*>/g, " ");

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Which segments each QA flag concerns, so an editor sees the flag where the problem is: the
 * segments that lost a number, hold an unknown word or a glossary term the engine lost, or that
 * the message names ("Segment 3 …"). `names(index)` gives a source index's id (`title`, `s1`, …).
 */
export function locateFlags(
  flags: readonly QaFlag[],
  sources: readonly string[],
  targets: readonly string[],
  options: { unknownWords: readonly string[]; glossaryLost?: readonly string[] | undefined },
  names: (index: number) => string,
): QaFlag[] {
  const where = (test: (source: string, target: string) => boolean) =>
    sources.flatMap((source, index) => (test(source, targets[index] ?? "") ? [names(index)] : []));
  const containsWord = (haystack: string, word: string) =>
    new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(word)}(?![\\p{L}\\p{N}])`, "iu").test(text(haystack));
  return flags.map((flag) => {
    let segments: string[] = [];
    const named = /^Segment (\d+)\b/.exec(flag.message);
    if (named) segments = [names(Number(named[1]) - 1)];
    else if (flag.code === "number_missing") {
      segments = where((source, target) => {
        const kept = new Set(numbersIn(text(target)));
        return numbersIn(text(source)).some((number) => !kept.has(number));
      });
    } else if (flag.code === "untranslated_words") {
      segments = where((_source, target) => options.unknownWords.some((word) => containsWord(target, word)));
    } else if (flag.code === "glossary_term_missing") {
      segments = where((source) => (options.glossaryLost ?? []).some((term) => containsWord(source, term)));
    }
    return segments.length > 0 ? { ...flag, segments } : { ...flag };
  });
}
