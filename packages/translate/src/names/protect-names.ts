import { hasPossessive, placeholder, placeholderPattern } from "../glossary/protect-terms.ts";
import type { NameFinder } from "./find-names.ts";

export interface ProtectedNames {
  /** The segments with each name replaced by a placeholder the engine passes through. */
  segments: string[];
  /** Per segment, the names found in it, as written. */
  found: string[][];
  /** Puts each name back where its placeholder came back; names those an engine lost. */
  restore(targets: readonly string[]): { targets: string[]; lost: string[] };
}

/**
 * Names travel through the engine as placeholders, like glossary terms, and come back exactly
 * as the source wrote them (markup and entities included: a name is cut from the segment as is).
 */
export function protectNames(segments: readonly string[], finder: NameFinder): ProtectedNames {
  const slots: string[] = [];
  const found: string[][] = [];
  const protectedSegments = segments.map((segment) => {
    const spans = finder.spans(segment);
    found.push(spans.map((span) => segment.slice(span.start, span.end)));
    let text = "";
    let last = 0;
    for (const span of spans) {
      text += segment.slice(last, span.start);
      slots.push(segment.slice(span.start, span.end));
      text += placeholder(slots.length - 1, "name");
      last = span.end;
    }
    return text + segment.slice(last);
  });
  return {
    segments: protectedSegments,
    found,
    restore(targets) {
      const lost = new Set<string>();
      const restored = targets.map((target, index) => {
        const source = protectedSegments[index] ?? "";
        let text = target;
        for (const [slot, name] of slots.entries()) {
          const mark = placeholder(slot, "name");
          if (!source.includes(mark)) continue;
          const pattern = placeholderPattern(mark, hasPossessive(source, mark));
          if (!pattern.test(text)) lost.add(name);
          text = text.replace(pattern, () => name);
        }
        return text;
      });
      return { targets: restored, lost: [...lost] };
    },
  };
}
