/**
 * Words, lower-cased. Single words beat word pairs on wire copy: a dateline or an inserted
 * place name moves a 70-word lead by 1 bit instead of 8, while other stories stay 20+ bits away.
 */
function shingles(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** murmur3's finalizer: spreads every input bit over the whole 32-bit word. */
function mix(hash: number): number {
  let h = hash ^ (hash >>> 16);
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Two independent 32-bit hashes of a word (FNV-1a with two seeds, then mixed): a fast 64-bit feature. */
function hashWord(word: string): [number, number] {
  let high = 0x811c9dc5;
  let low = 0x9747b28c;
  for (let i = 0; i < word.length; i++) {
    const code = word.charCodeAt(i);
    high = Math.imul(high ^ code, 0x01000193);
    low = Math.imul(low ^ code, 0x01000193);
  }
  return [mix(high), mix(low ^ 0x5bd1e995)];
}

/**
 * Charikar's simhash of a text as 16 hex digits: near-identical texts (the same wire copy
 * in several feeds, give or take a dateline) differ in few bits. Empty text gives undefined.
 * Each distinct word is hashed once and weighted by how often it occurs.
 */
export function simhash(text: string): string | undefined {
  const counts = new Map<string, number>();
  for (const word of shingles(text)) counts.set(word, (counts.get(word) ?? 0) + 1);
  if (counts.size === 0) return undefined;
  const weights = new Float64Array(64);
  for (const [word, count] of counts) {
    const [high, low] = hashWord(word);
    for (let bit = 0; bit < 32; bit++) {
      weights[bit] = (weights[bit] ?? 0) + ((low >>> bit) & 1 ? count : -count);
      weights[bit + 32] = (weights[bit + 32] ?? 0) + ((high >>> bit) & 1 ? count : -count);
    }
  }
  let high = 0;
  let low = 0;
  for (let bit = 0; bit < 32; bit++) {
    if ((weights[bit] ?? 0) > 0) low |= 1 << bit;
    if ((weights[bit + 32] ?? 0) > 0) high |= 1 << bit;
  }
  return (high >>> 0).toString(16).padStart(8, "0") + (low >>> 0).toString(16).padStart(8, "0");
}

function bitCount(value: number): number {
  let v = value - ((value >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

export function hammingDistance(a: string, b: string): number {
  const high = Number.parseInt(a.slice(0, 8), 16) ^ Number.parseInt(b.slice(0, 8), 16);
  const low = Number.parseInt(a.slice(8, 16), 16) ^ Number.parseInt(b.slice(8, 16), 16);
  return bitCount(high) + bitCount(low);
}

/**
 * The eight bytes of a simhash, each tagged with its position. Two hashes within distance 7
 * share at least one byte exactly, so an index on the bands finds every candidate.
 */
export function simhashBands(hash: string): string[] {
  return Array.from({ length: 8 }, (_, band) => `${band}${hash.slice(band * 2, band * 2 + 2)}`);
}

/** Distance at or below which two articles are the same story. */
// Measured on wire leads of ~70 words: the same copy with a dateline and an inserted place
// name lands at 2–4 bits, other stories on the same subject at 20+.
export const SAME_STORY_DISTANCE = 6;
