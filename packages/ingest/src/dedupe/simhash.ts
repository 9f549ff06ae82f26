/** murmur3's finalizer: spreads every input bit over the whole 32-bit word. */
function mix(hash: number): number {
  let h = hash ^ (hash >>> 16);
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Letters and digits of ASCII: 1 for a word character. */
const ASCII_WORD_UNITS = Uint8Array.from({ length: 128 }, (_, code) =>
  (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || (code >= 65 && code <= 90) ? 1 : 0,
);

const WORD_CHAR = /[\p{L}\p{N}]/u;
/** Whether each other UTF-16 unit is part of a word: 0 unknown, 1 yes, 2 no (filled as met). */
const wordUnits = new Uint8Array(65536);

function isOtherWordUnit(code: number): boolean {
  let known = wordUnits[code];
  if (!known) {
    known = WORD_CHAR.test(String.fromCharCode(code)) ? 1 : 2;
    wordUnits[code] = known;
  }
  return known === 1;
}

/**
 * Adds one word's 32 bits to 32 counters kept as bit planes (plane p holds bit p of every
 * counter): a binary ripple carry of two or three steps on average, instead of a loop over
 * the word's bits.
 */
function addBits(planes: Int32Array, bits: number): void {
  let carry = bits | 0;
  for (let plane = 0; carry !== 0; plane++) {
    const next = (planes[plane] as number) & carry;
    planes[plane] = (planes[plane] as number) ^ carry;
    carry = next;
  }
}

/** How many of the words added to `planes` had `bit` set. */
function countOf(planes: Int32Array, bit: number): number {
  let count = 0;
  for (let plane = 31; plane >= 0; plane--) count = count * 2 + (((planes[plane] as number) >>> bit) & 1);
  return count;
}

/**
 * Charikar's simhash of a text as 16 hex digits: near-identical texts (the same wire copy
 * in several feeds, give or take a dateline) differ in few bits. Empty text gives undefined.
 *
 * Each word (lower-cased) is hashed twice (FNV-1a with two seeds; 21 bits of one, spread again,
 * and 32 of the other make its 64 bits), and each bit of the result is set when more words
 * have it set than not. Words, not word pairs: on wire copy a dateline or an inserted place
 * name then moves a 70-word lead by 2–4 bits, while other stories stay 20+ bits away. One pass
 * over the characters, no intermediate strings, no table of words.
 */
export function simhash(text: string): string | undefined {
  const lower = text.toLowerCase();
  const lows = new Int32Array(32);
  const highs = new Int32Array(32);
  let words = 0;
  let high = 0x811c9dc5;
  let low = 0x9747b28c;
  let inWord = false;
  for (let i = 0; i <= lower.length; i++) {
    const code = i < lower.length ? lower.charCodeAt(i) : 32;
    // ASCII inline: this loop runs once per character of every body.
    if (code < 128 ? ASCII_WORD_UNITS[code] === 1 : isOtherWordUnit(code)) {
      high = Math.imul(high ^ code, 0x01000193);
      low = Math.imul(low ^ code, 0x01000193);
      inWord = true;
    } else if (inWord) {
      addBits(lows, mix(low ^ 0x5bd1e995));
      addBits(highs, mix(mix(high) >>> 11));
      words++;
      high = 0x811c9dc5;
      low = 0x9747b28c;
      inWord = false;
    }
  }
  if (words === 0) return undefined;
  let highBits = 0;
  let lowBits = 0;
  for (let bit = 0; bit < 32; bit++) {
    if (2 * countOf(lows, bit) > words) lowBits |= 1 << bit;
    if (2 * countOf(highs, bit) > words) highBits |= 1 << bit;
  }
  return (highBits >>> 0).toString(16).padStart(8, "0") + (lowBits >>> 0).toString(16).padStart(8, "0");
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
