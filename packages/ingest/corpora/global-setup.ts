import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { findCorporaDir, SKIP_MESSAGE } from "./corpora-dir.ts";
import { formatTable, readAllCounts } from "./tally.ts";

declare module "vitest" {
  export interface ProvidedContext {
    countsDir: string;
  }
}

/** Gives the test files a folder for their counts and prints the per-corpus table at the end. */
export default function setup(project: TestProject): () => void {
  const countsDir = mkdtempSync(path.join(tmpdir(), "babelwire-corpora-"));
  project.provide("countsDir", countsDir);
  return () => {
    const rows = readAllCounts(countsDir);
    rmSync(countsDir, { recursive: true, force: true });
    if (findCorporaDir() === null) {
      console.log(`\n${SKIP_MESSAGE}`);
      return;
    }
    console.log(`\nCorpora: cases passed per corpus (policy: listed in POLICY.md; n/a: no such field in our shape)\n`);
    console.log(formatTable(rows));
  };
}
