import type { GlossaryEntry } from "@babelwire/core";
import { escapeHtml } from "@babelwire/html";
import type { SegmentFormat } from "../engines/engine.ts";

export interface ProtectedSegments {
  /** The segments with each glossary term replaced by a placeholder the engine passes through. */
  segments: string[];
  /** Per segment, the glossary entries found in it. */
  found: GlossaryEntry[][];
  /**
   * Puts the glossary's translations where the placeholders came back, for the segments given
   * (undefined: not sent to an engine); names the terms an engine lost.
   */
  restore(targets: ReadonlyArray<string | undefined>): { targets: Array<string | undefined>; lost: string[] };
}

const TAG = /(<[^>]*>)/;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * A placeholder looks to an engine like a name it does not know, so it keeps it as written and
 * builds the sentence around it: letters only (digits would be read as numbers), capitalized,
 * and a shape no real text has.
 */
export function placeholder(index: number, kind: "term" | "name" = "term"): string {
  let letters = "";
  let n = index;
  do {
    letters = String.fromCharCode(97 + (n % 26)) + letters;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return `${kind === "term" ? "Zxqv" : "Zxqw"}${letters}q`;
}

/** Whether an engine's unknown word is one of our placeholders (a term's or a name's) rather than the text's own. */
export function isPlaceholder(word: string): boolean {
  return /^Zxq[vw][a-z]+q$/.test(word);
}

/**
 * Where a placeholder came back in a target. Apertium's eng-cat reads an unknown word's `'s` as
 * "has" and glues it on (`Zxqvaqha`): after a placeholder that had a possessive, that is the placeholder.
 */
export function placeholderPattern(mark: string, possessive: boolean): RegExp {
  return new RegExp(`${mark}${possessive ? "(?:ha)?" : ""}(?![a-z])`, "g");
}

/** Whether the placeholder stands before a possessive `'s` in the protected source. */
export function hasPossessive(source: string, mark: string): boolean {
  return new RegExp(`${mark}['’]s(?![\\p{L}])`, "u").test(source);
}

function termPattern(entry: GlossaryEntry, format: SegmentFormat): RegExp {
  const term = format === "html" ? escapeHtml(entry.term) : entry.term;
  return new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(term)}(?![\\p{L}\\p{N}])`, entry.caseSensitive ? "gu" : "giu");
}

/**
 * Replaces glossary terms in the text of each segment (never inside a tag) by placeholders,
 * longest term first so "Donald Trump" wins over "Trump". After the engine, `restore` puts
 * the entry's translation in each placeholder's place.
 */
export function protectTerms(
  segments: readonly string[],
  glossary: readonly GlossaryEntry[],
  format: SegmentFormat,
): ProtectedSegments {
  const ordered = [...glossary].sort((a, b) => b.term.length - a.term.length);
  const patterns = ordered.map((entry) => termPattern(entry, format));
  const slots: GlossaryEntry[] = [];
  const found: GlossaryEntry[][] = [];
  const protectedSegments = segments.map((segment) => {
    const inSegment = new Set<GlossaryEntry>();
    if (ordered.length === 0) {
      found.push([]);
      return segment;
    }
    const parts = segment.split(format === "html" ? TAG : /(?!)/).map((part, index) => {
      if (format === "html" && index % 2 === 1) return part;
      let text = part;
      ordered.forEach((entry, entryIndex) => {
        const pattern = patterns[entryIndex];
        if (!pattern) return;
        text = text.replace(pattern, () => {
          inSegment.add(entry);
          slots.push(entry);
          return placeholder(slots.length - 1);
        });
      });
      return text;
    });
    found.push([...inSegment]);
    return parts.join("");
  });
  return {
    segments: protectedSegments,
    found,
    restore(targets) {
      const lost = new Set<string>();
      const restored = targets.map((target, segmentIndex) => {
        if (target === undefined) return undefined;
        let text = target;
        for (const [slot, entry] of slots.entries()) {
          const mark = placeholder(slot);
          if (!protectedSegments[segmentIndex]?.includes(mark)) continue;
          const translation = format === "html" ? escapeHtml(entry.translation) : entry.translation;
          const pattern = placeholderPattern(mark, hasPossessive(protectedSegments[segmentIndex] ?? "", mark));
          if (!pattern.test(text)) lost.add(entry.term);
          text = text.replace(pattern, translation);
        }
        return text;
      });
      return { targets: restored, lost: [...lost] };
    },
  };
}
