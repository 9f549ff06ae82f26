/**
 * Timing checks for steps that see hostile input. A step linear in its input takes about 8×
 * as long on 1 MB as on 125 KB; a quadratic one about 64×. The bound allows 3× that
 * (24×), plus a floor for inputs so fast that timer noise dominates, and a hard ceiling, so a
 * loaded machine passes a linear step and no machine passes a quadratic one.
 */
export const SMALL_CHARS = 125_000;
export const LARGE_CHARS = 1_000_000;

export interface Growth {
  smallMs: number;
  largeMs: number;
  /** What largeMs may reach for the step to count as linear. */
  boundMs: number;
}

const SLACK = 3;
const FLOOR_MS = 1_000;
const CEILING_MS = 12_000;

/** Times `run` on `input(125 KB)` (best of three, after a warm-up) and on `input(1 MB)`. */
export async function measureGrowth(
  run: (input: string) => unknown,
  input: (chars: number) => string,
): Promise<Growth> {
  const small = input(SMALL_CHARS);
  const large = input(LARGE_CHARS);
  await run(small);
  let smallMs = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 3; round++) smallMs = Math.min(smallMs, await timed(run, small));
  const largeMs = await timed(run, large);
  const boundMs = Math.min(CEILING_MS, Math.max(FLOOR_MS, (smallMs * SLACK * LARGE_CHARS) / SMALL_CHARS));
  return { smallMs, largeMs, boundMs };
}

async function timed(run: (input: string) => unknown, input: string): Promise<number> {
  const start = performance.now();
  await run(input);
  return performance.now() - start;
}

/** `unit` repeated to at least `chars` characters. */
export function repeatTo(unit: string, chars: number): string {
  return unit.repeat(Math.ceil(chars / unit.length));
}
