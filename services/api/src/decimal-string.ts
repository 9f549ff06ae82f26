/** "0" to "999", and the same zero-padded to three digits ("007"), made once. */
const PLAIN = Array.from({ length: 1000 }, (_, n) => String(n));
const PADDED = PLAIN.map((digits) => digits.padStart(3, "0"));

/**
 * A non-negative integer in decimal, for header values that change on every request (a
 * request id's counter, a rate limit's remaining count). `String(n)` puts each new number's
 * string in V8's number-string cache, which lives in the old generation: every minor GC then
 * walks those entries and keeps the strings alive, and on a cached feed's 304 that doubled the
 * scavenges' time (bench/README.md, `feed-304`). Built from strings made once, the result is
 * garbage like any other.
 */
export function decimalString(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) return String(n);
  if (n < 1000) return PLAIN[n] as string;
  return decimalString(Math.floor(n / 1000)) + (PADDED[n % 1000] as string);
}

/**
 * `prefix` then 0, 1, 2, … in decimal, the next one each call (request ids). Past the first
 * thousand, each thousand is written once as one string, the ids one after another and all of a
 * length, and a call cuts its id out of it. A joined id would be a new two-part string that
 * Node's header check (a regular expression) must first copy into one piece: made and checked,
 * about 100 ns against 70 ns for a cut one, which is read in place.
 */
export function countingStrings(prefix: string): () => string {
  let next = 0;
  let thousand = "";
  let width = 0;
  return () => {
    const n = next++;
    const ones = n % 1000;
    if (n < 1000) return prefix + (PLAIN[ones] as string);
    if (ones === 0) {
      const above = prefix + decimalString(n / 1000);
      width = above.length + 3;
      thousand = above + PADDED.join(above);
    }
    return thousand.slice(ones * width, (ones + 1) * width);
  };
}

/**
 * `decimalString` for a number that moves little from one call to the next (a rate limit's
 * count left, the seconds to its reset): the same number gives the string made last time, and
 * the thousands above the last three digits are made once while they stay the same.
 */
export function nearbyDecimalStrings(): (n: number) => string {
  let last = -1;
  let lastString = "0";
  let thousands = -1;
  let thousandsString = "";
  return (n) => {
    if (n === last) return lastString;
    if (!Number.isSafeInteger(n) || n < 1000) return decimalString(n);
    const above = Math.floor(n / 1000);
    if (above !== thousands) {
      thousands = above;
      thousandsString = decimalString(above);
    }
    last = n;
    lastString = thousandsString + (PADDED[n % 1000] as string);
    return lastString;
  };
}
