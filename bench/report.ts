import type { BenchResult } from "./harness.ts";

export type Row = { name: string; result: BenchResult; met: boolean | null } | { name: string; result: null };

const HEADERS = [
  "benchmark",
  "unit",
  "value",
  "baseline",
  "ratio",
  "ratio min–max",
  "goal",
  "met",
  "rounds (value / baseline)",
];

/** Three significant digits: enough to compare, few enough to read. */
export function formatNumber(value: number | null): string {
  if (value === null) return "—";
  if (value === 0) return "0";
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  const decimals = Math.max(0, 2 - magnitude);
  return value.toLocaleString("en-US", { maximumFractionDigits: decimals, minimumFractionDigits: 0 });
}

function cells(row: Row): string[] {
  if (!row.result) return [row.name, "", "not yet", "", "", "", "", "", ""];
  const { result } = row;
  const rounds = result.rounds
    .map((round) =>
      round.baseline === null
        ? formatNumber(round.value)
        : `${formatNumber(round.value)}/${formatNumber(round.baseline)}`,
    )
    .join("  ");
  const met = row.met === null ? "—" : row.met ? "yes" : "NO";
  // The spread of the per-round ratios beside their median: how far one noisy round can sway it.
  const ratios = result.rounds.flatMap((round) => (round.baseline ? [round.value / round.baseline] : []));
  const range = ratios.length > 0 ? `${formatNumber(Math.min(...ratios))}–${formatNumber(Math.max(...ratios))}` : "—";
  return [
    row.name,
    result.unit,
    formatNumber(result.value),
    formatNumber(result.baseline),
    formatNumber(result.ratio),
    range,
    result.goal,
    met,
    rounds,
  ];
}

/** A plain-text table, then each benchmark's notes: what its figure includes and leaves out. */
export function renderTable(rows: Row[]): string {
  const table = [HEADERS, ...rows.map(cells)];
  const widths = HEADERS.map((_, column) => Math.max(...table.map((line) => (line[column] ?? "").length)));
  const lines = table.map((line) =>
    line
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join("  ")
      .trimEnd(),
  );
  lines.splice(1, 0, widths.map((width) => "-".repeat(width)).join("  "));
  const notes = rows.flatMap((row) => (row.result ? row.result.notes.map((note) => `  ${row.name}: ${note}`) : []));
  return [...lines, ...(notes.length > 0 ? ["", "notes:", ...notes] : [])].join("\n");
}
