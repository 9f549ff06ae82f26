import { CodedError } from "@babelwire/core";
import { isRetried, opensCircuit, retryAfterOf } from "../engine-errors.ts";
import { type CircuitState, createCircuitBreaker } from "./circuit-breaker.ts";
import { guardSharedLimits, type SharedLimits } from "./shared-limits.ts";

export type { CircuitState };

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
 * One engine's rate limit, concurrency, retries and circuit breaker (circuit-breaker.ts), wrapped
 * around each HTTP request its adapter makes (a batch, not a whole article, so a retry resends
 * only that batch).
 */
export function createRequestGate(options: GateOptions): RequestGate {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const now = options.now ?? Date.now;
  const { engine, observer, alerts } = options;
  const shared =
    options.shared && guardSharedLimits(options.shared, { engine, timeoutMs: options.sharedTimeoutMs ?? 250, alerts });
  const circuit = createCircuitBreaker({ engine, limits, observer, alerts, shared, now });
  const slots = createSemaphore(limits.concurrency);
  const bucket = createTokenBucket(limits.requestsPerSecond, now);

  /** A token from the shared bucket when there is one, else from this process's. */
  async function takeToken(): Promise<void> {
    for (;;) {
      const wait = await shared?.take(limits.requestsPerSecond);
      if (wait === undefined) return bucket.take();
      if (wait === 0) return;
      await sleep(wait);
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
    circuit: () => circuit.state(),
    async run(characters, request) {
      return slots.use(async () => {
        // Admitted only once it has a slot: requests queued behind a run of failures fall back at once.
        const { probe } = await circuit.admit();
        try {
          for (let retry = 0; ; retry++) {
            try {
              const result = await attempt(characters, request);
              circuit.succeeded();
              return result;
            } catch (error) {
              // Once the circuit has opened (on this failure or others'), retrying only delays the fallback.
              const stop = opensCircuit(error) || circuit.state() === "open";
              const wait = stop ? undefined : retryWait(error, retry, limits);
              if (wait === undefined) {
                await circuit.failed(error, probe);
                throw error;
              }
              await sleep(wait);
            }
          }
        } finally {
          circuit.release(probe);
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
