/** One source's schedule and when its feed was actually fetched (ms since the epoch). */
export interface SourceFetches {
  index: number;
  intervalMs: number;
  fetchedAt: readonly number[];
}

export interface ScheduleReport {
  /** Fetches per source inside the window. */
  counts: number[];
  /** Sources fetched fewer times in the window than their interval implies, less the tolerance. */
  shortfalls: string[];
  /** Sources that went longer than interval + one tick + slack without a fetch, from their first fetch to the window's end. */
  starved: string[];
  /** Seconds between consecutive fetches inside the window, per interval in minutes. */
  gaps: Map<number, number[]>;
}

/**
 * How well sources kept their schedule over `[from, to)`, polled by a scheduler that ticks
 * every `tickMs`:
 * - count: a window of W holds at least floor(W / interval) of a source's polls whatever its
 *   phase; one fewer is tolerated, because a poll due right at an edge of the window may fall
 *   just outside it when the tick is picked up a moment late (snapshots and a loaded machine).
 * - longest wait: a source may wait its interval plus one tick (it became due just after a
 *   tick) plus `slackMs` (the tick picked up late), never more, from its first fetch on.
 */
export function checkSchedules(
  sources: SourceFetches[],
  window: { from: number; to: number },
  tickMs: number,
  slackMs: number,
): ScheduleReport {
  const report: ScheduleReport = { counts: [], shortfalls: [], starved: [], gaps: new Map() };
  const windowMs = window.to - window.from;
  for (const source of sources) {
    const minutes = source.intervalMs / 60_000;
    const inside = source.fetchedAt.filter((at) => at >= window.from && at < window.to);
    report.counts.push(inside.length);
    const expected = Math.floor(windowMs / source.intervalMs) - 1;
    if (inside.length < expected) {
      report.shortfalls.push(
        `source ${source.index} (every ${minutes}m): ${inside.length} polls, expected ≥ ${expected}`,
      );
    }
    const upTo = [...source.fetchedAt.filter((at) => at < window.to), window.to];
    const longest = Math.max(...upTo.slice(1).map((at, i) => at - (upTo[i] ?? at)));
    if (longest > source.intervalMs + tickMs + slackMs) {
      report.starved.push(`source ${source.index} (every ${minutes}m): ${Math.round(longest / 1000)} s without a poll`);
    }
    const gaps = inside.slice(1).map((at, i) => Math.round((at - (inside[i] ?? at)) / 1000));
    report.gaps.set(minutes, [...(report.gaps.get(minutes) ?? []), ...gaps]);
  }
  return report;
}

/** "min a, median b, max c" of some numbers. */
export function spread(values: number[]): string {
  if (values.length === 0) return "none";
  const sorted = [...values].sort((a, b) => a - b);
  return `min ${sorted[0]}, median ${sorted[Math.floor(sorted.length / 2)]}, max ${sorted.at(-1)}`;
}
