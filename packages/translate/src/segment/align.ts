import type { SegmentFormat } from "../engines/engine.ts";
import { numbersIn } from "../qa/check.ts";
import type { SentenceSplitter } from "./sentences.ts";

export interface SentencePair {
  source: string;
  target: string;
}

/** How far one pair's length ratio may stray from the segment's (a factor of about 1.8). */
const MAX_DEVIATION = Math.log(1.8);
/** Makes one source sentence for two target sentences a second choice to one for one. */
const SPLIT_PENALTY = 0.3;

/**
 * Pairs the sentences of a segment with those of its translation, in order, when they can be
 * trusted to correspond: each source sentence with one target sentence or, where the translator
 * broke a sentence in two (Apertium capitalizes after "ed.)"), with two; each pair keeps the
 * numbers of its source and adds none, and its length is in line with the segment's. The
 * likeliest such pairing wins (a small Gale–Church alignment); when there is none, no pairs, and
 * memory keeps the segment whole only.
 */
export function alignSentences(
  splitSource: SentenceSplitter,
  splitTarget: SentenceSplitter,
  format: SegmentFormat,
): (pair: SentencePair) => SentencePair[] {
  return ({ source, target }) => {
    const sources = splitSource(source, format)?.units;
    const targetSplit = splitTarget(target, format);
    if (!sources || !targetSplit) return [];
    const { units: targets, between } = targetSplit;
    const from = sources.map(measure);
    const to = targets.map(measure);
    const ratio = sum(to.map((m) => m.length)) / Math.max(1, sum(from.map((m) => m.length)));
    const beadCost = (sourceIndex: number, first: number, count: 1 | 2) => {
      const parts = to.slice(first, first + count);
      return pairCost(from[sourceIndex], parts, ratio);
    };
    const joined = (first: number, count: 1 | 2) =>
      count === 1
        ? (targets[first] ?? "")
        : `${targets[first] ?? ""}${between[first] ?? ""}${targets[first + 1] ?? ""}`;
    const path = bestPath(sources.length, targets.length, beadCost);
    return (
      path?.map(([sourceIndex, first, count]) => ({
        source: sources[sourceIndex] ?? "",
        target: joined(first, count),
      })) ?? []
    );
  };
}

interface Measure {
  length: number;
  /** Its numbers, sorted. */
  numbers: string[];
}

function measure(html: string): Measure {
  const text = html.replace(/<[^>]*>|&#?\w+;/g, " ");
  return { length: text.replace(/\s+/g, " ").trim().length, numbers: numbersIn(text).sort() };
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

type Bead = [sourceIndex: number, targetFrom: number, targetCount: 1 | 2];

/** The cheapest way through both lists with 1:1 and 1:2 beads, or undefined when every way has an impossible pair. */
function bestPath(
  sources: number,
  targets: number,
  beadCost: (sourceIndex: number, from: number, count: 1 | 2) => number,
): Bead[] | undefined {
  if (targets < sources || targets > 2 * sources) return undefined;
  // cost[i][j]: aligning the first i sources with the first j targets.
  const cost = Array.from({ length: sources + 1 }, () => new Array<number>(targets + 1).fill(Infinity));
  const back: Array<Array<1 | 2 | undefined>> = Array.from({ length: sources + 1 }, () => new Array(targets + 1));
  (cost[0] as number[])[0] = 0;
  for (let i = 1; i <= sources; i++) {
    // Each source takes one or two targets: only j in [i, 2i] can be reached.
    for (let j = i; j <= Math.min(targets, 2 * i); j++) {
      for (const count of [1, 2] as const) {
        const before = cost[i - 1]?.[j - count] ?? Infinity;
        if (before === Infinity) continue;
        const total = before + beadCost(i - 1, j - count, count) + (count === 2 ? SPLIT_PENALTY : 0);
        if (total < (cost[i]?.[j] ?? Infinity)) {
          (cost[i] as number[])[j] = total;
          (back[i] as Array<1 | 2 | undefined>)[j] = count;
        }
      }
    }
  }
  if ((cost[sources]?.[targets] ?? Infinity) === Infinity) return undefined;
  const path: Bead[] = [];
  for (let i = sources, j = targets; i > 0; i--) {
    const count = back[i]?.[j] ?? 1;
    j -= count;
    path.unshift([i - 1, j, count]);
  }
  return path;
}

/** How unlikely it is that these correspond: Infinity when a number is lost or added, or the lengths are far apart. */
function pairCost(source: Measure | undefined, targets: Measure[], ratio: number): number {
  if (!source) return Infinity;
  const numbers = targets.flatMap((target) => target.numbers).sort();
  if (numbers.join() !== source.numbers.join()) return Infinity;
  const length = sum(targets.map((target) => target.length));
  const deviation = Math.abs(Math.log(Math.max(1, length) / Math.max(1, source.length) / ratio));
  return deviation <= MAX_DEVIATION ? deviation : Infinity;
}
