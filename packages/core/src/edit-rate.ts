/**
 * Post-editing effort in the spirit of HTER: the word-level edits (insertions, deletions,
 * substitutions) that turn the machine's text into the approved one, divided by the number of
 * words of the approved text. 0 when the editor changed nothing. Shifts, which HTER also counts
 * as one edit, count here as a deletion and an insertion: simpler, and an upper bound.
 */
export function editRate(pairs: ReadonlyArray<{ machine: string; approved: string }>): number {
  let edits = 0;
  let words = 0;
  for (const { machine, approved } of pairs) {
    const after = wordsOf(approved);
    edits += wordEdits(wordsOf(machine), after);
    words += after.length;
  }
  if (edits === 0) return 0;
  // Everything deleted: as many edits as the machine had words, per "word" of nothing.
  return words === 0 ? edits : edits / words;
}

/** Words of text or markup: tags dropped, the few entities our sanitizer writes decoded, punctuation kept on its word. */
export function wordsOf(text: string): string[] {
  return text
    .replace(/<[^>]*>/g, " ")
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .split(/\s+/)
    .filter(Boolean);
}

/** Levenshtein distance over words, in two rows of memory. */
function wordEdits(before: readonly string[], after: readonly string[]): number {
  let previous = Array.from({ length: after.length + 1 }, (_, index) => index);
  for (let i = 1; i <= before.length; i++) {
    const current = [i];
    for (let j = 1; j <= after.length; j++) {
      const same = before[i - 1] === after[j - 1];
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (same ? 0 : 1));
    }
    previous = current;
  }
  return previous[after.length] ?? 0;
}
