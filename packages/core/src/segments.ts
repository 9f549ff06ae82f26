export interface TextSegment {
  /** Where the segment starts in the whole text. */
  index: number;
  segment: string;
  /** For word segmenters: whether the segment is a word (not spaces or punctuation). */
  isWordLike?: boolean;
}

// ICU decides a break by the characters around it; a window this long leaves every break but
// the last far from its edge.
const WINDOW = 4_096;
// A run without any break is cut here: no sentence is this long, and the cost of a window
// grows with its length times its segments.
const LONGEST_SEGMENT = 65_536;

/**
 * `segmenter.segment(text)`, in time linear in the text. V8 (Node 20) copies the whole input
 * into every segment it yields, so iterating over one long text takes time and memory in the
 * square of its length: 80 KB of short sentences took 3 s, 1 MB ran out of memory. Here the text
 * is segmented a window at a time; each window's last segment, which may run past its end, is
 * segmented again at the start of the next.
 */
export function* boundedSegments(segmenter: Intl.Segmenter, text: string): Generator<TextSegment> {
  let start = 0;
  let window = WINDOW;
  while (start < text.length) {
    const end = Math.min(text.length, start + window);
    const piece = text.slice(start, end);
    const found: TextSegment[] = [];
    for (const { index, segment, isWordLike } of segmenter.segment(piece)) {
      found.push({ index: start + index, segment, ...(isWordLike !== undefined && { isWordLike }) });
    }
    if (end === text.length) {
      yield* found;
      return;
    }
    if (found.length < 2) {
      if (window < LONGEST_SEGMENT) {
        window *= 2;
        continue;
      }
      yield { index: start, segment: piece };
      start = end;
      window = WINDOW;
      continue;
    }
    const last = found.pop() as TextSegment;
    yield* found;
    start = last.index;
    window = WINDOW;
  }
}
