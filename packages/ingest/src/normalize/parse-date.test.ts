import { describe, expect, it } from "vitest";
import { parseFeedDate } from "./parse-date.ts";

describe("parseFeedDate", () => {
  it.each([
    ["Tue, 10 Jun 2003 04:00:00 GMT", "2003-06-10T04:00:00.000Z"],
    ["Tue, 10 Jun 2003 04:00:00 EST", "2003-06-10T09:00:00.000Z"],
    ["Tue, 10 Jun 2003 04:00:00 PDT", "2003-06-10T11:00:00.000Z"],
    ["Tue, 10 Jun 2003 04:00:00 +0200", "2003-06-10T02:00:00.000Z"],
    ["Tue, 10 Jun 2003 04:00:00 CEST", "2003-06-10T02:00:00.000Z"],
    ["Mié, 10 Jun 2003 04:00:00 UT", "2003-06-10T04:00:00.000Z"],
    ["10 Jun 2003 04:00 Z", "2003-06-10T04:00:00.000Z"],
    ["2024-03-01T10:00:00+01:00", "2024-03-01T09:00:00.000Z"],
    ["2024-03-01T10:00:00.250Z", "2024-03-01T10:00:00.250Z"],
    ["2024-03-01 10:00:00", "2024-03-01T10:00:00.000Z"],
    ["2024-03-01", "2024-03-01T00:00:00.000Z"],
  ])("reads %s as %s", (input, expected) => {
    expect(parseFeedDate(input)).toBe(expected);
  });

  it.each(["", "yesterday", "1", "not a date 99", "Tue, 99 Foo 2003"])("gives up on %j", (input) => {
    expect(parseFeedDate(input)).toBeNull();
  });
});
