import { measureGrowth, repeatTo } from "@babelwire/core/linear-time";
import { describe, expect, it } from "vitest";
import { readableContent } from "./readable-content.ts";

const STORY = "Kyiv hosted the ministers of twelve countries for talks on grain exports on Monday. ".repeat(12);

function page(hostile: string): string {
  return `<html><head><title>Grain talks</title></head><body><article><h1>Grain talks</h1><p>${STORY}</p><aside>${hostile}</aside></article></body></html>`;
}

describe("readableContent on a deep page", () => {
  // Issue 20: 120 KB of unclosed <b><i> kept an extract job busy 64 s; deeper ones overflow the stack.
  it.each([
    ["unclosed <b><i>", "<b><i>"],
    ["unclosed table cells", "<table><tr><td>"],
  ])("reads a 1 MB page of %s in linear time and still finds the story", async (_name, unit) => {
    const growth = await measureGrowth(
      (html) => readableContent(html, "https://news.example/grain"),
      (chars) => page(repeatTo(unit, chars)),
    );
    expect(growth.largeMs).toBeLessThan(growth.boundMs);
    const content = readableContent(page(repeatTo(unit, 1_000_000)), "https://news.example/grain");
    expect(content?.html).toContain("twelve countries");
  });
});
