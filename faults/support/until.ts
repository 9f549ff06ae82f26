/** Thrown by a probe when waiting longer cannot help (the process under test has exited). */
export class GiveUp extends Error {
  override name = "GiveUp";
}

/**
 * Polls `probe` until it returns a value other than undefined, or throws once `timeoutMs` has
 * passed, naming what was awaited and the last value seen. Faults are proven by conditions
 * reached before a deadline, never by having slept long enough.
 */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  options: { timeoutMs?: number; everyMs?: number; last?: () => string } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
      lastError = undefined;
    } catch (error) {
      if (error instanceof GiveUp) throw error;
      lastError = error;
    }
    await delay(options.everyMs ?? 250);
  }
  const seen = options.last ? ` (last seen: ${options.last()})` : "";
  const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : "";
  throw new Error(`timed out after ${options.timeoutMs ?? 60_000} ms waiting for ${what}${seen}${cause}`);
}

export function delay(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
