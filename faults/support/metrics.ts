import type { Babelwire } from "./babelwire.ts";

/**
 * One metric from `/metrics`, summed by two of its labels: `{ [first]: { [second]: value } }`,
 * such as job attempts by queue and outcome.
 */
export async function metricByLabels(
  babelwire: Babelwire,
  name: string,
  first: string,
  second: string,
): Promise<Record<string, Record<string, number>>> {
  const text = await (await babelwire.api("/metrics")).text();
  const table: Record<string, Record<string, number>> = {};
  for (const line of text.split("\n")) {
    const match = /^(\w+)\{([^}]*)\} ([\d.e+-]+)$/.exec(line);
    if (match?.[1] !== name) continue;
    const labels = Object.fromEntries([...(match[2] ?? "").matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    const row = table[labels[first] ?? "?"] ?? {};
    const column = labels[second] ?? "?";
    row[column] = (row[column] ?? 0) + Number(match[3]);
    table[labels[first] ?? "?"] = row;
  }
  return table;
}

/** Job attempts by queue and outcome (completed, retrying, failed). */
export function jobAttempts(babelwire: Babelwire) {
  return metricByLabels(babelwire, "babelwire_job_duration_seconds_count", "queue", "outcome");
}
