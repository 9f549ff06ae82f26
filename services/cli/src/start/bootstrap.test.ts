import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const BOOTSTRAP = join(resolve(import.meta.dirname, "../../../.."), "scripts/bootstrap.mjs");

function systemPackages(purpose: string[]): string[] {
  const run = spawnSync(process.execPath, [BOOTSTRAP, ...purpose, "--list"], { encoding: "utf8" });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout.trim().split("\n");
}

describe("what the two commands may install", () => {
  it("gives `npm start` only what running needs: Redis, Apertium and its pairs", () => {
    const start = systemPackages(["start"]);
    expect(start).toEqual(expect.arrayContaining(["redis-server", "apertium", "apertium-eng-spa", "apertium-eng-cat"]));
    for (const testOnly of ["python3-feedparser", "libxml2-utils", "apertium-apy"])
      expect(start).not.toContain(testOnly);
  });

  it("gives `npm test` the tests' own clients too", () => {
    const test = systemPackages(["test"]);
    expect(test).toEqual(expect.arrayContaining(["redis-server", "apertium", "python3-feedparser", "libxml2-utils"]));
    expect(systemPackages([])).toEqual(test);
  });
});
