/**
 * What a benchmark must reach; `of` says which figure is judged: the median ratio, the median
 * value, or the median value's excess over the median baseline (value − baseline, in the unit),
 * for goals such as "p95 ≤ Apertium's own time + 1 s".
 */
export interface Goal {
  of: "ratio" | "value" | "excess";
  op: ">=" | "<=" | "<";
  target: number;
}

/**
 * One benchmark, ready to run: `setup` builds everything a round needs (databases, servers,
 * fixtures) outside the timed part; each round then calls `ours` and `baseline` once.
 */
export interface Benchmark {
  name: string;
  unit: string;
  goal: Goal;
  /** Measured rounds; at least 3, so a median exists. */
  rounds: number;
  /** One unrecorded call of each side first, so JIT and caches warm before anything counts. */
  warmup: boolean;
  setup(): Promise<Session>;
}

export interface Session {
  /** One measurement of our code, in the benchmark's unit. */
  ours(): Promise<number>;
  /** One measurement of the baseline in the same unit; absent when the benchmark has none. */
  baseline?: () => Promise<number>;
  /**
   * What the figure includes or leaves out, printed beside it and stored with it. Read after
   * `close`, so a session may add there what it measured along the way.
   */
  notes: string[];
  close(): Promise<void>;
}

export interface Round {
  value: number;
  baseline: number | null;
}

export interface BenchResult {
  name: string;
  unit: string;
  value: number;
  baseline: number | null;
  ratio: number | null;
  goal: string;
  rounds: Round[];
  notes: string[];
}

const MIN_ROUNDS = 3;

export function median(values: number[]): number {
  if (values.length === 0) throw new Error("median of nothing");
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? 0;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? 0) + upper) / 2;
}

export function describeGoal(goal: Goal, unit: string): string {
  if (goal.of === "ratio") return `ratio ${goal.op} ${goal.target}`;
  if (goal.of === "excess") return `${goal.op} baseline + ${goal.target} ${unit}`;
  return `${goal.op} ${goal.target} ${unit}`;
}

export function goalMet(goal: Goal, result: Pick<BenchResult, "value" | "ratio" | "baseline">): boolean | null {
  const figure =
    goal.of === "ratio"
      ? result.ratio
      : goal.of === "excess"
        ? result.baseline === null
          ? null
          : result.value - result.baseline
        : result.value;
  if (figure === null) return null;
  if (goal.op === ">=") return figure >= goal.target;
  if (goal.op === "<=") return figure <= goal.target;
  return figure < goal.target;
}

/**
 * Runs a benchmark's rounds, ours and baseline alternating, and which goes first alternating
 * too: on a shared, noisy machine a slow spell then hits both sides about equally, and the
 * median of the per-round ratios is the figure that stays put between runs.
 */
export async function runBenchmark(benchmark: Benchmark): Promise<BenchResult> {
  const session = await benchmark.setup();
  let rounds: Round[];
  try {
    rounds = await measureRounds(benchmark, session);
  } finally {
    await session.close();
  }
  return summarize(benchmark, rounds, session.notes);
}

async function measureRounds(benchmark: Benchmark, session: Session): Promise<Round[]> {
  if (benchmark.warmup) {
    await session.ours();
    await session.baseline?.();
  }
  const rounds: Round[] = [];
  for (let index = 0; index < Math.max(MIN_ROUNDS, benchmark.rounds); index++) {
    rounds.push(await measureRound(session, index % 2 === 1));
  }
  return rounds;
}

async function measureRound(session: Session, baselineFirst: boolean): Promise<Round> {
  if (!session.baseline) return { value: await session.ours(), baseline: null };
  if (baselineFirst) {
    const base = await session.baseline();
    return { value: await session.ours(), baseline: base };
  }
  const value = await session.ours();
  return { value, baseline: await session.baseline() };
}

export function summarize(benchmark: Pick<Benchmark, "name" | "unit" | "goal">, rounds: Round[], notes: string[]) {
  const baselines = rounds.flatMap((round) => (round.baseline === null ? [] : [round.baseline]));
  const ratios = rounds.flatMap((round) => (round.baseline === null ? [] : [round.value / round.baseline]));
  return {
    name: benchmark.name,
    unit: benchmark.unit,
    value: median(rounds.map((round) => round.value)),
    baseline: baselines.length > 0 ? median(baselines) : null,
    ratio: ratios.length > 0 ? median(ratios) : null,
    goal: describeGoal(benchmark.goal, benchmark.unit),
    rounds,
    notes,
  } satisfies BenchResult;
}

/**
 * Repeats `work` until at least `minMs` have passed and returns how many times it ran and how
 * long that took: short operations are timed in bulk so the clock's resolution does not matter.
 */
export async function repeatFor(minMs: number, work: () => Promise<void>): Promise<{ runs: number; ms: number }> {
  const start = performance.now();
  let runs = 0;
  let elapsed = 0;
  do {
    await work();
    runs++;
    elapsed = performance.now() - start;
  } while (elapsed < minMs);
  return { runs, ms: elapsed };
}
