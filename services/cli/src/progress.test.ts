import { describe, expect, it } from "vitest";
import { startProgress } from "./progress.ts";

function stream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, isTTY, columns: 100, write: (text: string) => writes.push(text) };
}

describe("startProgress", () => {
  it("prints plain lines at each tenth and a closing line when piped, without escape codes", () => {
    const out = stream(false);
    const progress = startProgress("glossary import", 1000, out);
    for (let i = 0; i < 1000; i += 50) progress.advance(50);
    progress.finish();
    expect(out.writes).toEqual([
      ...[100, 200, 300, 400, 500, 600, 700, 800, 900].map((done) => `glossary import: ${done}/1000\n`),
      "glossary import: 1000/1000 done\n",
    ]);
    expect(out.writes.join("")).not.toContain("\r");
    expect(out.writes.join("")).not.toContain("\u001b");
  });

  it("redraws one bar in place on a terminal and ends it with a newline", () => {
    const out = stream(true);
    const progress = startProgress("backfill", 4, out);
    progress.advance();
    progress.advance(3);
    progress.finish();
    const last = out.writes.at(-2) ?? "";
    expect(last).toBe(`\rbackfill [${"#".repeat(30)}] 100% 4/4\x1b[K`);
    expect(out.writes[0]).toMatch(/^\rbackfill \[#{8}-{22}\] 25% 1\/4/);
    expect(out.writes.at(-1)).toBe("\n");
    expect(out.writes.filter((text) => text.includes("\n"))).toHaveLength(1);
  });

  it("never passes the total", () => {
    const out = stream(false);
    const progress = startProgress("x", 2, out);
    progress.advance(5);
    progress.finish();
    expect(out.writes).toEqual(["x: 2/2 done\n"]);
  });
});
