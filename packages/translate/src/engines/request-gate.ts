import { CodedError } from "@babelwire/core";
import { engineError, isRetried, isSustainedFailure, opensCircuit, retryAfterOf } from "./engine-errors.ts";
import type { SharedLimits } from "./shared-limits.ts";

export type CircuitState = "closed" | "half_open" | "open";

/**
 * How hard one engine may be driven. Kept in this process, unless the gate is given shared
 * limits: then the request rate and the circuit's openings hold across every translator process
 * (through Redis), while concurrency stays per process.
 */
export interface EngineLimits {
  /** Requests started per second (a token bucket as deep as one second's worth). */
  requestsPerSecond: number;
  /** Requests in flight at once. */
  concurrency: number;
  /** Retries of a 429 or 5xx answer, after the first attempt. */
  maxRetries: number;
  /** First backoff; doubled on each retry, with jitter. */
  baseDelayMs: number;
  /** No single wait is longer: a longer `Retry-After` fails over at once instead of holding the job. */
  maxDelayMs: number;
  /** How long an auth or quota failure keeps the engine out of the chain. */
  circuitCooldownMs: number;
  /**
   * Requests in a row that failed for good with a transient error (5xx or 429 once their retries
   * are spent, a timeout, no connection) before the engine is taken out of the chain: one such
   * failure falls back for that request alone, a run of them means the engine is down.
   */
  failureThreshold: number;
  /** How long such a run of failures keeps the engine out of the chain before one request probes it. */
  failureCooldownMs: number;
}

export const DEFAULT_LIMITS: EngineLimits = {
  requestsPerSecond: 10,
  concurrency: 4,
  maxRetries: 3,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  circuitCooldownMs: 5 * 60_000,
  failureThreshold: 5,
  failureCooldownMs: 60_000,
};

/** Where an engine's traffic is counted; `@babelwire/metrics`' Metrics fits it. */
export interface EngineObserver {
  countEngineRequest(engine: string): void;
  countEngineCharacters(engine: string, characters: number): void;
  countEngineError(engine: string, code: string): void;
  setEngineCircuit(engine: string, state: CircuitState): void;
}

/** How the operator hears that an engine was taken out of the chain, and put back (a pino logger fits). */
export interface EngineAlerts {
  error(details: object, message: string): void;
  info?(details: object, message: string): void;
}

export interface RequestGate {
  /** Runs one request to the engine: waits for its turn, retries what is worth retrying, counts it. */
  run<T>(characters: number, request: () => Promise<T>): Promise<T>;
  circuit(): CircuitState;
}

export interface GateOptions {
  engine: string;
  limits?: Partial<EngineLimits> | undefined;
  observer?: EngineObserver | undefined;
  alerts?: EngineAlerts | undefined;
  /** The rate limit and circuit openings shared with other processes (Redis); unset, this process's own. */
  shared?: SharedLimits | undefined;
  /** How long a shared-limits call may take before this process decides alone; 250 ms by default. */
  sharedTimeoutMs?: number;
  /** For tests: the clock the circuit and the token bucket read. */
  now?: () => number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * One engine's rate limit, concurrency, retries and circuit breaker, wrapped around each HTTP
 * request its adapter makes (a batch, not a whole article, so a retry resends only that batch).
 *
 * The circuit opens on an auth or quota error at once, and after `failureThreshold` requests in
 * a row failed for good with transient errors. While it is open, requests fail at once with
 * ENGINE_CIRCUIT_OPEN and the chain goes to its next engine. When the cool-down is over, one
 * request goes through as a probe (the others still fall back): its success closes the circuit,
 * its failure opens it for another cool-down.
 */
export function createRequestGate(options: GateOptions): RequestGate {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const now = options.now ?? Date.now;
  const { engine, observer, alerts } = options;
  const slots = createSemaphore(limits.concurrency);
  const bucket = createTokenBucket(limits.requestsPerSecond, now);
  let openUntil = 0;
  let openedBy: CodedError | undefined;
  let state: CircuitState = "closed";
  let probing = false;
  /** Requests in a row that failed for good with a transient error. */
  let failuresInRow = 0;
  const sharedTimeoutMs = options.sharedTimeoutMs ?? 250;
  let sharedDown = false;

  function setState(next: CircuitState): void {
    if (next === state) return;
    state = next;
    observer?.setEngineCircuit(engine, next);
  }

  /**
   * Asks Redis, when limits are shared; undefined when it does not answer in time, and this
   * process goes on with its own limits (said once to the operator, and once when Redis is back).
   */
  async function viaShared<T>(work: (shared: SharedLimits) => Promise<T>): Promise<T | undefined> {
    if (!options.shared) return undefined;
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer in ${sharedTimeoutMs} ms`)), sharedTimeoutMs);
      });
      const result = await Promise.race([work(options.shared), timeout]);
      if (sharedDown) alerts?.info?.({ engine }, `shared limits of translation engine ${engine} are back`);
      sharedDown = false;
      return result;
    } catch (error) {
      if (!sharedDown) {
        alerts?.error(
          { engine, reason: error instanceof Error ? error.message : String(error) },
          `shared limits of translation engine ${engine} unavailable (Redis): this process keeps its own`,
        );
      }
      sharedDown = true;
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Takes the engine out here too while another process has it out of the chain. */
  async function adoptSharedOpening(): Promise<void> {
    const opening = await viaShared((shared) => shared.opening());
    if (!opening || state !== "closed") return;
    openUntil = now() + opening.remainingMs;
    openedBy = new CodedError(opening.code, opening.message);
    setState("open");
    alerts?.info?.(
      { engine, code: opening.code, cooldownSeconds: Math.ceil(opening.remainingMs / 1000) },
      `translation engine ${engine} taken out of the chain by another translator process: ${opening.message}`,
    );
  }

  /** Lets a request through, or refuses it while the circuit is open; returns whether it is the probe. */
  async function admit(): Promise<boolean> {
    if (state === "closed") await adoptSharedOpening();
    if (state === "closed") return false;
    if (state === "open" && now() >= openUntil) {
      setState("half_open");
      probing = false;
    }
    if (state === "half_open" && !probing) {
      probing = true;
      return true;
    }
    const seconds = Math.max(0, Math.ceil((openUntil - now()) / 1000));
    throw engineError(
      "ENGINE_CIRCUIT_OPEN",
      state === "half_open"
        ? `${engine} is being probed after ${openedBy?.code}: ${openedBy?.message}`
        : `${engine} is out of the chain for ${seconds} s more after ${openedBy?.code}: ${openedBy?.message}`,
      { cause: openedBy },
    );
  }

  /** A token from the shared bucket when there is one, else from this process's. */
  async function takeToken(): Promise<void> {
    for (;;) {
      const wait = await viaShared((shared) => shared.take(limits.requestsPerSecond));
      if (wait === undefined) return bucket.take();
      if (wait === 0) return;
      await sleep(wait);
    }
  }

  async function open(error: CodedError, cooldownMs: number, why: string): Promise<void> {
    openUntil = now() + cooldownMs;
    openedBy = error;
    setState("open");
    alerts?.error(
      { engine, code: error.code, cooldownSeconds: cooldownMs / 1000, failuresInRow },
      `translation engine ${engine} taken out of the chain${why}: ${error.message}`,
    );
    // Awaited (within sharedTimeoutMs): when the failing request returns, every process knows.
    await viaShared((shared) => shared.publishOpening(cooldownMs, error.code, error.message));
  }

  function succeeded(): void {
    failuresInRow = 0;
    if (state === "closed") return;
    setState("closed");
    alerts?.info?.({ engine }, `translation engine ${engine} is back in the chain`);
  }

  /** A request failed for good (its retries, if any, spent). */
  async function failed(error: unknown, probe: boolean): Promise<void> {
    if (isSustainedFailure(error)) failuresInRow++;
    if (!(error instanceof CodedError)) return;
    if (opensCircuit(error)) {
      // Requests already in flight when the circuit opened report their failures too: one alert is enough.
      if (state !== "open") await open(error, limits.circuitCooldownMs, "");
    } else if (probe) {
      await open(error, limits.failureCooldownMs, " again after a failed probe");
    } else if (state === "closed" && isSustainedFailure(error) && failuresInRow >= limits.failureThreshold) {
      await open(error, limits.failureCooldownMs, ` after ${failuresInRow} failed requests in a row`);
    }
  }

  async function attempt<T>(characters: number, request: () => Promise<T>): Promise<T> {
    await takeToken();
    observer?.countEngineRequest(engine);
    observer?.countEngineCharacters(engine, characters);
    try {
      return await request();
    } catch (error) {
      observer?.countEngineError(engine, error instanceof CodedError ? error.code : "ENGINE_FAILED");
      throw error;
    }
  }

  return {
    circuit: () => state,
    async run(characters, request) {
      return slots.use(async () => {
        // Admitted only once it has a slot: requests queued behind a run of failures fall back at once.
        const probe = await admit();
        try {
          for (let retry = 0; ; retry++) {
            try {
              const result = await attempt(characters, request);
              succeeded();
              return result;
            } catch (error) {
              // Once the circuit has opened (on this failure or others'), retrying only delays the fallback.
              const wait = opensCircuit(error) || state === "open" ? undefined : retryWait(error, retry, limits);
              if (wait === undefined) {
                await failed(error, probe);
                throw error;
              }
              await sleep(wait);
            }
          }
        } finally {
          if (probe) probing = false;
        }
      });
    },
  };
}

/** How long to wait before retrying, or undefined when this failure is not retried (any more). */
function retryWait(error: unknown, retry: number, limits: EngineLimits): number | undefined {
  if (!isRetried(error) || retry >= limits.maxRetries) return undefined;
  const asked = retryAfterOf(error);
  if (asked !== undefined) return asked <= limits.maxDelayMs ? asked : undefined;
  const backoff = limits.baseDelayMs * 2 ** retry;
  return Math.min(limits.maxDelayMs, backoff / 2 + Math.random() * (backoff / 2));
}

function createSemaphore(size: number) {
  let active = 0;
  const waiting: Array<() => void> = [];
  return {
    async use<T>(task: () => Promise<T>): Promise<T> {
      if (active >= size) await new Promise<void>((resolve) => waiting.push(resolve));
      else active++;
      try {
        return await task();
      } finally {
        const next = waiting.shift();
        if (next) next();
        else active--;
      }
    },
  };
}

function createTokenBucket(perSecond: number, now: () => number) {
  let tokens = Math.max(1, perSecond);
  let refilledAt = now();
  return {
    async take(): Promise<void> {
      for (;;) {
        const elapsed = now() - refilledAt;
        tokens = Math.min(Math.max(1, perSecond), tokens + (elapsed * perSecond) / 1000);
        refilledAt = now();
        if (tokens >= 1) {
          tokens -= 1;
          return;
        }
        await sleep(Math.ceil(((1 - tokens) * 1000) / perSecond));
      }
    },
  };
}
