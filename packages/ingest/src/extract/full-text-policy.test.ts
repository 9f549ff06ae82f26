import { measureGrowth } from "@babelwire/core/linear-time";
import { describe, expect, it } from "vitest";
import { shouldFetchFullText } from "./full-text-policy.ts";

const URL_ = "https://www.ukrinform.net/rubric-polytics/3925337-rutte.html";
const LONG = "NATO Secretary General Mark Rutte said this before the summit in Budapest. ".repeat(10).trim();

describe("shouldFetchFullText", () => {
  it("never fetches in never mode, and always fetches in always mode when there is a link", () => {
    expect(shouldFetchFullText("never", { contentText: "Short.", url: URL_ })).toBe(false);
    expect(shouldFetchFullText("always", { contentText: LONG, url: URL_ })).toBe(true);
  });

  it("fetches nothing without an http(s) link, whatever the mode", () => {
    for (const mode of ["auto", "always"] as const) {
      expect(shouldFetchFullText(mode, { contentText: "Short.", url: null })).toBe(false);
      expect(shouldFetchFullText(mode, { contentText: "Short.", url: "mailto:desk@example.com" })).toBe(false);
    }
  });

  it("fetches in auto mode when the feed's text is under about 500 characters", () => {
    expect(shouldFetchFullText("auto", { contentText: "Rutte warns about North Korea.", url: URL_ })).toBe(true);
    expect(shouldFetchFullText("auto", { contentText: "x".repeat(499), url: URL_ })).toBe(true);
    expect(shouldFetchFullText("auto", { contentText: LONG, url: URL_ })).toBe(false);
  });

  it.each([
    ["an ellipsis character", `${LONG} And then…`],
    ["three dots", `${LONG} And then...`],
    ["a bracketed ellipsis", `${LONG} And then […]`],
    ["a bracketed three dots", `${LONG} And then [...]`],
    ["Read more", `${LONG}\n\nRead more`],
    ["read more with an arrow", `${LONG} Read more »`],
    ["Continue reading", `${LONG} Continue reading →`],
  ])("fetches a long text in auto mode when it ends as a lead does, with %s", (_ending, contentText) => {
    expect(shouldFetchFullText("auto", { contentText, url: URL_ })).toBe(true);
  });

  it("keeps a long text that merely mentions reading more in the middle", () => {
    const contentText = `Read more about it later. ${LONG}`;
    expect(shouldFetchFullText("auto", { contentText, url: URL_ })).toBe(false);
  });
});

describe("shouldFetchFullText on hostile text", () => {
  it("reads 1 MB of dots that do not end the text in linear time (the ending's regex was quadratic)", async () => {
    const growth = await measureGrowth(
      (contentText) => shouldFetchFullText("auto", { contentText, url: URL_ }),
      (chars) => `${".".repeat(chars)}x`,
    );
    expect(growth.largeMs).toBeLessThan(growth.boundMs);
  });

  it("still sees a lead behind a long run of what may follow its ending", () => {
    const contentText = `${LONG} Read more${" ».".repeat(200_000)}`;
    expect(shouldFetchFullText("auto", { contentText, url: URL_ })).toBe(true);
    expect(shouldFetchFullText("auto", { contentText: `${LONG} unread more${" »".repeat(10)}`, url: URL_ })).toBe(
      false,
    );
    expect(shouldFetchFullText("auto", { contentText: `${LONG} done.${" ".repeat(100)}`, url: URL_ })).toBe(false);
  });
});
