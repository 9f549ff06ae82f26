/** murmur3's finalizer: spreads every input bit over the whole 32-bit word. */
function mix(hash: number): number {
  let h = hash ^ (hash >>> 16);
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const WORD_CHAR = /[\p{L}\p{N}]/u;
/** Whether each UTF-16 unit is part of a word: 0 unknown, 1 yes, 2 no (filled as met). */
const wordUnits = new Uint8Array(65536);

function isWordUnit(code: number): boolean {
  if (code < 128) return (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || (code >= 65 && code <= 90);
  let known = wordUnits[code];
  if (!known) {
    known = WORD_CHAR.test(String.fromCharCode(code)) ? 1 : 2;
    wordUnits[code] = known;
  }
  return known === 1;
}

/**
 * Each distinct word of the text (lower-cased), as two independent 32-bit hashes (FNV-1a with
 * two seeds) packed in one number, with how often it occurs. Words, not word pairs: on wire
 * copy a dateline or an inserted place name then moves a 70-word lead by 2–4 bits, while other
 * stories stay 20+ bits away. One pass over the characters, no intermediate strings.
 */
function wordHashes(text: string): Map<number, number> {
  const lower = text.toLowerCase();
  const counts = new Map<number, number>();
  let high = 0x811c9dc5;
  let low = 0x9747b28c;
  let inWord = false;
  for (let i = 0; i <= lower.length; i++) {
    const code = i < lower.length ? lower.charCodeAt(i) : 32;
    if (isWordUnit(code)) {
      high = Math.imul(high ^ code, 0x01000193);
      low = Math.imul(low ^ code, 0x01000193);
      inWord = true;
    } else if (inWord) {
      // 21 bits of one hash and 32 of the other: a 53-bit key, exact in a double.
      const key = (mix(high) >>> 11) * 4294967296 + mix(low ^ 0x5bd1e995);
      counts.set(key, (counts.get(key) ?? 0) + 1);
      high = 0x811c9dc5;
      low = 0x9747b28c;
      inWord = false;
    }
  }
  return counts;
}

/**
 * Charikar's simhash of a text as 16 hex digits: near-identical texts (the same wire copy
 * in several feeds, give or take a dateline) differ in few bits. Empty text gives undefined.
 */
export function simhash(text: string): string | undefined {
  const counts = wordHashes(text);
  if (counts.size === 0) return undefined;
  const weights = new Float64Array(64);
  for (const [key, count] of counts) {
    const low = key % 4294967296;
    const high = mix(Math.floor(key / 4294967296));
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
