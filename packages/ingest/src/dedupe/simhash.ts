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
 * Each distinct word's count, keyed by two 32-bit hashes: open addressing over typed arrays,
 * because a Map keyed by 53-bit numbers boxes every key and was most of simhash's time.
 */
class WordCounts {
  size = 0;
  highs: Int32Array;
  lows: Int32Array;
  counts: Int32Array;

  constructor(private capacity: number) {
    this.highs = new Int32Array(capacity);
    this.lows = new Int32Array(capacity);
    this.counts = new Int32Array(capacity);
  }

  add(high: number, low: number): void {
    const mask = this.capacity - 1;
    let slot = (low ^ (high << 7)) & mask;
    while (this.counts[slot] !== 0) {
      if (this.highs[slot] === high && this.lows[slot] === low) {
        this.counts[slot] = (this.counts[slot] ?? 0) + 1;
        return;
      }
      slot = (slot + 1) & mask;
    }
    this.highs[slot] = high;
    this.lows[slot] = low;
    this.counts[slot] = 1;
    if (++this.size * 2 > this.capacity) this.grow();
  }

  private grow(): void {
    const { highs, lows, counts } = this;
    this.capacity *= 2;
    this.highs = new Int32Array(this.capacity);
    this.lows = new Int32Array(this.capacity);
    this.counts = new Int32Array(this.capacity);
    this.size = 0;
    for (let slot = 0; slot < counts.length; slot++) {
      const count = counts[slot] ?? 0;
      if (count === 0) continue;
      const high = highs[slot] ?? 0;
      const low = lows[slot] ?? 0;
      this.add(high, low);
      this.counts[this.find(high, low)] = count;
    }
  }

  private find(high: number, low: number): number {
    const mask = this.capacity - 1;
    let slot = (low ^ (high << 7)) & mask;
    while (this.highs[slot] !== high || this.lows[slot] !== low) slot = (slot + 1) & mask;
    return slot;
  }
}

/**
 * Each distinct word of the text (lower-cased), as two independent 32-bit hashes (FNV-1a with
 * two seeds, 21 bits of one and 32 of the other kept), with how often it occurs. Words, not
 * word pairs: on wire copy a dateline or an inserted place name then moves a 70-word lead by
 * 2–4 bits, while other stories stay 20+ bits away. One pass over the characters, no
 * intermediate strings.
 */
function wordHashes(text: string): WordCounts {
  const lower = text.toLowerCase();
  // Prose has about one distinct word per 8 characters (~1 per 4 at worst for short texts).
  const counts = new WordCounts(2 ** Math.max(6, Math.ceil(Math.log2(lower.length / 4 + 1))));
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
      counts.add(mix(high) >>> 11, mix(low ^ 0x5bd1e995) | 0);
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
  const words = wordHashes(text);
  if (words.size === 0) return undefined;
  // Each bit's weight is (count where set) − (count where clear) = 2·ones − total; summing only
  // the set bits halves the work.
  const ones = new Int32Array(64);
  let total = 0;
  const { highs, lows, counts } = words;
  for (let slot = 0; slot < counts.length; slot++) {
    const count = counts[slot] as number;
    if (count === 0) continue;
    total += count;
    addSetBits(ones, 0, lows[slot] as number, count);
    addSetBits(ones, 32, mix(highs[slot] as number), count);
  }
  let high = 0;
  let low = 0;
  for (let bit = 0; bit < 32; bit++) {
    if (2 * (ones[bit] as number) > total) low |= 1 << bit;
    if (2 * (ones[bit + 32] as number) > total) high |= 1 << bit;
  }
  return (high >>> 0).toString(16).padStart(8, "0") + (low >>> 0).toString(16).padStart(8, "0");
}

/** Adds `count` to `ones[offset + bit]` for each bit set in `bits`. */
function addSetBits(ones: Int32Array, offset: number, bits: number, count: number): void {
  for (let rest = bits; rest !== 0; rest &= rest - 1) {
    const bit = offset + 31 - Math.clz32(rest & -rest);
    ones[bit] = (ones[bit] as number) + count;
  }
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
