import { type CircuitState, CodedError } from "@babelwire/core";
import { engineError, isSustainedFailure, opensCircuit } from "../engine-errors.ts";
import type { GuardedSharedLimits } from "./shared-limits.ts";

export type { CircuitState };

export interface CircuitOptions {
  engine: string;
  /** As in EngineLimits. */
  limits: { circuitCooldownMs: number; failureThreshold: number; failureCooldownMs: number };
  observer?: { setEngineCircuit(engine: string, state: CircuitState): void } | undefined;
  alerts?: { error(details: object, message: string): void; info?(details: object, message: string): void } | undefined;
  /** Openings shared with other translator processes. */
  shared?: GuardedSharedLimits | undefined;
  now: () => number;
}

/** One engine's circuit breaker; the request gate asks it before each request and tells it how each ended. */
export interface CircuitBreaker {
  state(): CircuitState;
  /** Lets a request through (`probe`: the one that tries the engine after a cool-down) or throws ENGINE_CIRCUIT_OPEN. */
  admit(): Promise<{ probe: boolean }>;
  succeeded(): void;
  /** A request failed for good (its retries, if any, spent). */
  failed(error: unknown, probe: boolean): Promise<void>;
  /** The probe is over, however it ended. */
  release(probe: boolean): void;
}

/**
 * The circuit opens on an auth or quota error at once, and after `failureThreshold` requests in
 * a row failed for good with transient errors (5xx or 429 past their retries, timeouts, no
 * connection). While it is open, requests fail at once with ENGINE_CIRCUIT_OPEN and the chain
 * goes to its next engine. When the cool-down is over, one request goes through as a probe (the
 * others still fall back): its success closes the circuit, its failure opens it for another
 * cool-down. An opening is published to the other processes, and adopted from them.
 */
export function createCircuitBreaker(options: CircuitOptions): CircuitBreaker {
  const { engine, limits, observer, alerts, shared, now } = options;
  let state: CircuitState = "closed";
  let openUntil = 0;
  let openedBy: CodedError | undefined;
  let probing = false;
  /** Requests in a row that failed for good with a transient error. */
  let failuresInRow = 0;

  function setState(next: CircuitState): void {
    if (next === state) return;
    state = next;
    observer?.setEngineCircuit(engine, next);
  }

  async function open(error: CodedError, cooldownMs: number, why: string): Promise<void> {
    openUntil = now() + cooldownMs;
    openedBy = error;
    setState("open");
    alerts?.error(
      { engine, code: error.code, cooldownSeconds: cooldownMs / 1000, failuresInRow },
      `translation engine ${engine} taken out of the chain${why}: ${error.message}`,
    );
    // Awaited (within the shared timeout): when the failing request returns, every process knows.
    await shared?.publishOpening(cooldownMs, error.code, error.message);
  }

  /** Takes the engine out here too while another process has it out of the chain. */
  async function adoptSharedOpening(): Promise<void> {
    const opening = await shared?.opening();
    if (!opening || state !== "closed") return;
    openUntil = now() + opening.remainingMs;
    openedBy = new CodedError(opening.code, opening.message);
    setState("open");
    alerts?.info?.(
      { engine, code: opening.code, cooldownSeconds: Math.ceil(opening.remainingMs / 1000) },
      `translation engine ${engine} taken out of the chain by another translator process: ${opening.message}`,
    );
  }

  return {
    state: () => state,

    async admit() {
      if (state === "closed") await adoptSharedOpening();
      if (state === "closed") return { probe: false };
      if (state === "open" && now() >= openUntil) {
        setState("half_open");
        probing = false;
      }
      if (state === "half_open" && !probing) {
        probing = true;
        return { probe: true };
      }
      const seconds = Math.max(0, Math.ceil((openUntil - now()) / 1000));
      throw engineError(
        "ENGINE_CIRCUIT_OPEN",
        state === "half_open"
          ? `${engine} is being probed after ${openedBy?.code}: ${openedBy?.message}`
          : `${engine} is out of the chain for ${seconds} s more after ${openedBy?.code}: ${openedBy?.message}`,
        { cause: openedBy },
      );
    },

    succeeded() {
      failuresInRow = 0;
      if (state === "closed") return;
      setState("closed");
      alerts?.info?.({ engine }, `translation engine ${engine} is back in the chain`);
    },

    async failed(error, probe) {
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
    },

    release(probe) {
      if (probe) probing = false;
    },
  };
}
