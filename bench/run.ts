import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import { repoRoot } from "./fixtures/repo-paths.ts";
import { type BenchResult, goalMet, runBenchmark } from "./harness.ts";
import { BENCHMARKS } from "./registry.ts";
import { type Row, renderTable } from "./report.ts";

/**
 * `pnpm bench [name ...]`: runs all benchmarks or the named ones, one after another in this
 * process, prints the table and writes bench/results/latest.json.
 */
async function main(names: string[]): Promise<void> {
  const unknown = names.filter((name) => !BENCHMARKS.some(([known]) => known === name));
  if (unknown.length > 0) {
    console.error(`bench: unknown benchmark ${unknown.join(", ")}; known: ${BENCHMARKS.map(([n]) => n).join(", ")}`);
    process.exitCode = 2;
    return;
  }
  const chosen = names.length === 0 ? BENCHMARKS : BENCHMARKS.filter(([name]) => names.includes(name));
  const rows: Row[] = [];
  for (const [name, benchmark] of chosen) {
    if (!benchmark) {
      rows.push({ name, result: null });
      continue;
    }
    process.stderr.write(`bench: ${name} …\n`);
    const started = performance.now();
    const result = await runBenchmark(benchmark);
    process.stderr.write(`bench: ${name} done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    rows.push({ name, result, met: goalMet(benchmark.goal, result) });
  }
  console.log(renderTable(rows));
  const file = writeResults(rows.flatMap((row) => (row.result ? [row.result] : [])));
  console.log(`\nwrote ${path.relative(process.cwd(), file) || file}`);
}

function writeResults(results: BenchResult[]): string {
  const dir = path.join(repoRoot(), "bench", "results");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "latest.json");
  const document = { date: new Date().toISOString(), node: process.version, cpus: availableParallelism(), results };
  writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`);
  return file;
}

await main(process.argv.slice(2));
