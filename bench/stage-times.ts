/**
 * Where a benchmark's time goes: each stage's milliseconds summed over every run, and the
 * number of runs, so the note can say how many ms an average run spent in each stage.
 */
export interface StageTimes {
  /** Times `work` as `stage` and returns its result. */
  time<T>(stage: string, work: () => T): T;
  timeAsync<T>(stage: string, work: () => Promise<T>): Promise<T>;
  countRun(): void;
  /** Mean ms a run spent in `stage`. */
  mean(stage: string): number;
  /** "a 1.20 ms, b 3.40 ms per run (mean of n)", warm-up runs included. */
  describe(): string;
}

export function createStageTimes(): StageTimes {
  const totals = new Map<string, number>();
  let runs = 0;
  const add = (stage: string, ms: number) => totals.set(stage, (totals.get(stage) ?? 0) + ms);
  return {
    time(stage, work) {
      const started = performance.now();
      try {
        return work();
      } finally {
        add(stage, performance.now() - started);
      }
    },
    async timeAsync(stage, work) {
      const started = performance.now();
      try {
        return await work();
      } finally {
        add(stage, performance.now() - started);
      }
    },
    countRun() {
      runs++;
    },
    mean(stage) {
      return (totals.get(stage) ?? 0) / Math.max(1, runs);
    },
    describe() {
      const parts = [...totals].map(([stage, ms]) => `${stage} ${(ms / Math.max(1, runs)).toFixed(2)} ms`);
      return `${parts.join(", ")} per run (mean of ${runs})`;
    },
  };
}
