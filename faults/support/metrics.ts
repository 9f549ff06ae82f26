import type { Babelwire } from "./babelwire.ts";

/** Job attempts by queue and outcome (completed, retrying, failed), from `/metrics`. */
export async function jobAttempts(babelwire: Babelwire): Promise<Record<string, Record<string, number>>> {
  const response = await babelwire.api("/metrics");
  const text = await response.text();
  const attempts: Record<string, Record<string, number>> = {};
  for (const match of text.matchAll(/^babelwire_job_duration_seconds_count\{([^}]*)\} (\d+)/gm)) {
    const labels = Object.fromEntries([...(match[1] ?? "").matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    const queue = labels.queue ?? "?";
    attempts[queue] = { ...attempts[queue], [labels.outcome ?? "?"]: Number(match[2]) };
  }
  return attempts;
}
