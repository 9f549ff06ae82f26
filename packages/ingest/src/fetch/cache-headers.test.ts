import { describe, expect, it } from "vitest";
import { cacheSeconds, retryAfterSeconds } from "./cache-headers.ts";

const NOW = new Date("2025-03-01T12:00:00Z");

describe("cacheSeconds", () => {
  it("reads max-age, and prefers s-maxage when both are given", () => {
    expect(cacheSeconds({ "cache-control": "public, max-age=600" }, NOW)).toBe(600);
    expect(cacheSeconds({ "cache-control": "max-age=600, s-maxage=120" }, NOW)).toBe(120);
    expect(cacheSeconds({ "cache-control": 'max-age="90"' }, NOW)).toBe(90);
  });

  it("answers 0 for no-cache and no-store, whatever else is said", () => {
    expect(cacheSeconds({ "cache-control": "no-cache, max-age=600" }, NOW)).toBe(0);
    expect(cacheSeconds({ "cache-control": "private, No-Store" }, NOW)).toBe(0);
  });

  it("takes the response's Age off the freshness lifetime", () => {
    expect(cacheSeconds({ "cache-control": "max-age=600", age: "100" }, NOW)).toBe(500);
    expect(cacheSeconds({ "cache-control": "max-age=600", age: "900" }, NOW)).toBe(0);
  });

  it("counts Expires from the server's Date rather than the local clock", () => {
    const headers = { expires: "Sat, 01 Mar 2025 09:30:00 GMT", date: "Sat, 01 Mar 2025 09:00:00 GMT" };
    expect(cacheSeconds(headers, NOW)).toBe(1800);
  });

  it("counts Expires from now when the server sends no Date", () => {
    expect(cacheSeconds({ expires: "Sat, 01 Mar 2025 12:05:00 GMT" }, NOW)).toBe(300);
  });

  it("lets max-age win over Expires", () => {
    expect(cacheSeconds({ "cache-control": "max-age=60", expires: "Sat, 01 Mar 2025 13:00:00 GMT" }, NOW)).toBe(60);
  });

  it("treats a past or unreadable Expires as already expired", () => {
    expect(cacheSeconds({ expires: "Fri, 28 Feb 2025 12:00:00 GMT" }, NOW)).toBe(0);
    expect(cacheSeconds({ expires: "0" }, NOW)).toBe(0);
    expect(cacheSeconds({ expires: "3000" }, NOW)).toBe(0);
  });

  it("answers null when the server says nothing about freshness", () => {
    expect(cacheSeconds({}, NOW)).toBeNull();
    expect(cacheSeconds({ "cache-control": "public, must-revalidate" }, NOW)).toBeNull();
    expect(cacheSeconds({ "cache-control": "max-age=soon" }, NOW)).toBeNull();
  });
});

describe("retryAfterSeconds", () => {
  it("reads delta-seconds", () => {
    expect(retryAfterSeconds({ "retry-after": "120" }, NOW)).toBe(120);
    expect(retryAfterSeconds({ "retry-after": " 0 " }, NOW)).toBe(0);
  });

  it("reads an HTTP date, counted from the server's Date when it sends one", () => {
    expect(retryAfterSeconds({ "retry-after": "Sat, 01 Mar 2025 12:10:00 GMT" }, NOW)).toBe(600);
    const headers = { "retry-after": "Sat, 01 Mar 2025 08:01:30 GMT", date: "Sat, 01 Mar 2025 08:00:00 GMT" };
    expect(retryAfterSeconds(headers, NOW)).toBe(90);
  });

  it("answers 0 for a date already past and null for an absent or unreadable value", () => {
    expect(retryAfterSeconds({ "retry-after": "Sat, 01 Mar 2025 11:00:00 GMT" }, NOW)).toBe(0);
    expect(retryAfterSeconds({}, NOW)).toBeNull();
    expect(retryAfterSeconds({ "retry-after": "later" }, NOW)).toBeNull();
    expect(retryAfterSeconds({ "retry-after": "-5" }, NOW)).toBeNull();
  });
});
