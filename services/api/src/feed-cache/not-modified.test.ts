import { describe, expect, it } from "vitest";
import { isNotModified } from "./not-modified.ts";

const feed = { etag: '"abc"', lastModified: new Date("2026-11-07T12:30:00Z") };

describe("isNotModified", () => {
  it("matches If-None-Match against the entity tag, weak or strong, in a list, or *", () => {
    expect(isNotModified({ ifNoneMatch: '"abc"' }, feed)).toBe(true);
    expect(isNotModified({ ifNoneMatch: 'W/"abc"' }, feed)).toBe(true);
    expect(isNotModified({ ifNoneMatch: '"x", "abc"' }, feed)).toBe(true);
    expect(isNotModified({ ifNoneMatch: "*" }, feed)).toBe(true);
    expect(isNotModified({ ifNoneMatch: '"abd"' }, feed)).toBe(false);
  });

  it("lets If-None-Match decide alone when both are sent", () => {
    expect(isNotModified({ ifNoneMatch: '"old"', ifModifiedSince: "Fri, 01 Jan 2100 00:00:00 GMT" }, feed)).toBe(false);
  });

  it("answers If-Modified-Since at or after the last change, and not before or when unreadable", () => {
    expect(isNotModified({ ifModifiedSince: "Sat, 07 Nov 2026 12:30:00 GMT" }, feed)).toBe(true);
    expect(isNotModified({ ifModifiedSince: "Sat, 07 Nov 2026 12:31:00 GMT" }, feed)).toBe(true);
    expect(isNotModified({ ifModifiedSince: "Sat, 07 Nov 2026 12:29:59 GMT" }, feed)).toBe(false);
    expect(isNotModified({ ifModifiedSince: "yesterday" }, feed)).toBe(false);
  });

  it("is modified when the reader sends no validator", () => {
    expect(isNotModified({}, feed)).toBe(false);
  });
});
