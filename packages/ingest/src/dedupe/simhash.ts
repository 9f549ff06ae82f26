import { createHash } from "node:crypto";

/**
 * Words, lower-cased. Single words beat word pairs on wire copy: a dateline or an inserted
 * place name moves a 70-word lead by 1 bit instead of 8, while other stories stay 20+ bits away.
 */
function shingles(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

function hash64(shingle: string): bigint {
  return createHash("md5").update(shingle).digest().readBigUInt64BE(0);
}

/**
 * Charikar's simhash of a text as 16 hex digits: near-identical texts (the same wire copy
 * in several feeds, give or take a dateline) differ in few bits. Empty text gives undefined.
 */
export function simhash(text: string): string | undefined {
  const parts = shingles(text);
  if (parts.length === 0) return undefined;
  const weights = new Array<number>(64).fill(0);
  for (const shingle of parts) {
    const h = hash64(shingle);
    for (let bit = 0; bit < 64; bit++) weights[bit] = (weights[bit] ?? 0) + ((h >> BigInt(bit)) & 1n ? 1 : -1);
  }
  let value = 0n;
  for (let bit = 0; bit < 64; bit++) if ((weights[bit] ?? 0) > 0) value |= 1n << BigInt(bit);
  return value.toString(16).padStart(16, "0");
}

export function hammingDistance(a: string, b: string): number {
  let diff = BigInt(`0x${a}`) ^ BigInt(`0x${b}`);
  let count = 0;
  while (diff) {
    count += Number(diff & 1n);
    diff >>= 1n;
  }
  return count;
}

/**
 * The four 16-bit quarters of a simhash. Two hashes within distance 3 share at least one
 * quarter exactly, so an index on the quarters finds every candidate near-duplicate.
 */
export function simhashBands(hash: string): string[] {
  // The position is part of the band, so equal digits in different quarters never match.
  return [0, 1, 2, 3].map((quarter) => `${quarter}${hash.slice(quarter * 4, quarter * 4 + 4)}`);
}

/** Distance at or below which two articles are the same story. */
export const SAME_STORY_DISTANCE = 3;
