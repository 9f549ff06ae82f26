export interface BatchLimits {
  /** Texts in one request. */
  maxTexts: number;
  /** Size of one request's texts, in whatever unit `sizeOf` counts (bytes for DeepL, characters for others). */
  maxSize: number;
}

/**
 * Splits texts into consecutive batches within an engine's per-request limits, keeping their
 * order. A text larger than `maxSize` on its own still goes, alone: the engine then says
 * whether it takes it, which beats silently cutting a paragraph.
 */
export function batchTexts<T>(texts: readonly T[], limits: BatchLimits, sizeOf: (text: T) => number): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let size = 0;
  for (const text of texts) {
    const textSize = sizeOf(text);
    if (current.length > 0 && (current.length >= limits.maxTexts || size + textSize > limits.maxSize)) {
      batches.push(current);
      current = [];
      size = 0;
    }
    current.push(text);
    size += textSize;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/**
 * Runs `translate` over the non-blank segments in batches and puts the outputs back in place;
 * blank segments come back as they went, unsent.
 */
export async function translateInBatches(
  segments: readonly string[],
  limits: BatchLimits,
  sizeOf: (text: string) => number,
  translate: (texts: string[]) => Promise<string[]>,
): Promise<{ segments: string[]; charactersSent: number }> {
  const sent = segments.flatMap((segment, index) => (segment.trim() ? [index] : []));
  const batches = batchTexts(sent, limits, (index) => sizeOf(segments[index] ?? ""));
  const output = [...segments];
  let charactersSent = 0;
  for (const batch of batches) {
    const texts = batch.map((index) => segments[index] ?? "");
    const translated = await translate(texts);
    batch.forEach((index, position) => {
      output[index] = translated[position] ?? "";
    });
    charactersSent += texts.reduce((sum, text) => sum + text.length, 0);
  }
  return { segments: output, charactersSent };
}
