import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * How one case ended. `policy`: an expectation we deliberately do not meet, named in POLICY.md.
 * `not-applicable`: the expectation is about a field our normalized shape does not have.
 */
export type CaseStatus = "passed" | "policy" | "not-applicable" | "failed";

export type Counts = Record<CaseStatus, number>;

export interface CorpusCounts {
  corpus: string;
  counts: Counts;
}

export function emptyCounts(): Counts {
  return { passed: 0, policy: 0, "not-applicable": 0, failed: 0 };
}

/** Writes one corpus's counts where the global teardown will find them. */
export function writeCounts(dir: string, corpus: string, counts: Counts): void {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${corpus.replace(/[^a-z0-9.-]+/gi, "_")}.json`);
  writeFileSync(file, JSON.stringify({ corpus, counts } satisfies CorpusCounts));
}

export function readAllCounts(dir: string): CorpusCounts[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .map((name) => JSON.parse(readFileSync(path.join(dir, name), "utf8")) as CorpusCounts)
    .sort((a, b) => a.corpus.localeCompare(b.corpus));
}

/** The per-corpus table printed at the end of the run. */
export function formatTable(rows: CorpusCounts[]): string {
  const header = ["corpus", "passed / total", "policy", "n/a", "failed"];
  const lines = rows.map(({ corpus, counts }) => {
    const total = counts.passed + counts.policy + counts["not-applicable"] + counts.failed;
    return [
      corpus,
      `${counts.passed} / ${total}`,
      String(counts.policy),
      String(counts["not-applicable"]),
      String(counts.failed),
    ];
  });
  const widths = header.map((title, column) =>
    Math.max(title.length, ...lines.map((line) => line[column]?.length ?? 0)),
  );
  const format = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join("  ");
  return [format(header), format(widths.map((width) => "-".repeat(width))), ...lines.map(format)].join("\n");
}
