/** Rows as aligned columns for a terminal: the first row is the header. */
export function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? "").length))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/**
 * A listing as every listing command prints it: JSON Lines with `--json` (one object a line,
 * for scripts), else an aligned table with a header.
 */
export function printList<T>(
  items: readonly T[],
  options: { json?: boolean | undefined },
  header: string[],
  row: (item: T) => string[],
): void {
  if (options.json) {
    for (const item of items) process.stdout.write(`${JSON.stringify(item)}\n`);
    return;
  }
  process.stdout.write(`${table([header, ...items.map(row)])}\n`);
}
