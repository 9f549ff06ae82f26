const DAMPING = 0.85;
const MAX_ITERATIONS = 100;
const CONVERGED = 1e-6;

/**
 * TextRank's similarity: shared words, normalized by the log of each sentence's length so
 * long sentences do not win by size alone.
 */
export function similarity(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let shared = 0;
  for (const word of a) if (b.has(word)) shared += 1;
  const norm = Math.log(a.size) + Math.log(b.size);
  return shared > 0 && norm > 0 ? shared / norm : 0;
}

/** PageRank over the weighted sentence graph: a sentence like many central sentences is central. */
export function rankSentences(words: ReadonlyArray<ReadonlySet<string>>): number[] {
  const count = words.length;
  const weights = words.map((a, i) => words.map((b, j) => (i === j ? 0 : similarity(a, b))));
  const outWeight = weights.map((row) => row.reduce((sum, weight) => sum + weight, 0));
  let scores = new Array<number>(count).fill(1);
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration += 1) {
    const next = scores.map((_, i) => {
      let incoming = 0;
      for (let j = 0; j < count; j += 1) {
        const weight = weights[j]?.[i] ?? 0;
        const total = outWeight[j] ?? 0;
        if (weight > 0 && total > 0) incoming += (weight / total) * (scores[j] ?? 0);
      }
      return 1 - DAMPING + DAMPING * incoming;
    });
    const change = Math.max(0, ...next.map((score, i) => Math.abs(score - (scores[i] ?? 0))));
    scores = next;
    if (change < CONVERGED) break;
  }
  return scores;
}
