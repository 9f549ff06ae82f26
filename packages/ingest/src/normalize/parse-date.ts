// Zone names JavaScript's Date.parse does not know (it knows UT, GMT, Z and the US zones).
const ZONE_OFFSETS: Record<string, string> = {
  UTC: "+0000",
  WET: "+0000",
  BST: "+0100",
  CET: "+0100",
  WEST: "+0100",
  MET: "+0100",
  CEST: "+0200",
  EET: "+0200",
  MEST: "+0200",
  SAST: "+0200",
  EEST: "+0300",
  MSK: "+0300",
  IST: "+0530",
  HKT: "+0800",
  SGT: "+0800",
  AWST: "+0800",
  JST: "+0900",
  KST: "+0900",
  ACST: "+0930",
  AEST: "+1000",
  AEDT: "+1100",
  NZST: "+1200",
  NZDT: "+1300",
  AKST: "-0900",
  AKDT: "-0800",
  HST: "-1000",
};
const ISO_WITHOUT_ZONE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;
const DAY_NAME = /^[^\d,]+,\s*/;
const NAMED_ZONE = /\s([A-Z]{2,5})$/;
// Date.parse reads almost anything ("1" is 2001); a date needs a year to be believed.
const HAS_YEAR = /\d{4}|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec) \d{2}\b/i;

/**
 * Parses a feed date (RFC 822 with numeric or named zones, ISO 8601) to ISO 8601 in UTC, or
 * null when it cannot be read. A date without a zone is taken as UTC, not as the local time of
 * whichever machine happens to run the poll.
 */
export function parseFeedDate(value: string | null): string | null {
  if (value === null) return null;
  const rfc1123 = readRfc1123(value);
  if (rfc1123 !== null) return rfc1123;
  let text = value.trim().replace(/\s+/g, " ");
  if (ISO_WITHOUT_ZONE.test(text)) text = `${text.replace(" ", "T")}Z`;
  // Day names are redundant and sometimes not in English ("Mié, 31 Ene …" still fails below).
  text = text.replace(DAY_NAME, "");
  text = text.replace(NAMED_ZONE, (match, zone: string) => {
    const offset = ZONE_OFFSETS[zone];
    return offset === undefined ? match : ` ${offset}`;
  });
  if (!HAS_YEAR.test(text)) return null;
  const time = Date.parse(text);
  if (Number.isNaN(time)) return null;
  const date = new Date(time);
  return date.getUTCFullYear() < 1970 ? null : date.toISOString();
}

const RFC_1123 =
  /^\s*(?:[A-Z][a-z]{2}, )?(\d{1,2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) (GMT|UTC?|Z|[+-]\d{4})\s*$/;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * The form nearly every RSS feed writes ("Thu, 07 Nov 2024 12:21:00 GMT"), read without the
 * general path's rewriting and Date.parse, which cost more than the rest of an item's
 * normalizing; same result (days past a month's end roll over, as Date.parse does). Null for
 * anything else.
 */
function readRfc1123(value: string): string | null {
  const match = RFC_1123.exec(value);
  if (match === null) return null;
  const [, day = "", monthName = "", year = "", hours = "", minutes = "", seconds = "", zone = ""] = match;
  const month = MONTHS.indexOf(monthName);
  const numbers = [Number(day), Number(hours), Number(minutes), Number(seconds)] as const;
  if (month === -1 || numbers[0] < 1 || numbers[1] > 23 || numbers[2] > 59 || numbers[3] > 59) return null;
  const offsetMinutes = /^[+-]/.test(zone)
    ? (zone.startsWith("-") ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5)))
    : 0;
  const time = Date.UTC(Number(year), month, numbers[0], numbers[1], numbers[2], numbers[3]) - offsetMinutes * 60_000;
  const date = new Date(time);
  return date.getUTCFullYear() < 1970 ? null : date.toISOString();
}
