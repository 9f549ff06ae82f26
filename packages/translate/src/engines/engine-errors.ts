import { CodedError } from "@babelwire/core";

/**
 * The codes an engine failure carries, whatever the engine. The request gate decides from the
 * code alone: rate limits and server errors are retried, auth and quota errors open the
 * engine's circuit, a run of requests failing for good with transient errors (rate limits and
 * server errors past their retries, timeouts, no connection) opens it too, and everything else
 * falls to the next engine at once.
 */
export type EngineErrorCode =
  | "ENGINE_RATE_LIMITED"
  | "ENGINE_SERVER_ERROR"
  | "ENGINE_AUTH_FAILED"
  | "ENGINE_QUOTA_EXCEEDED"
  | "ENGINE_BAD_REQUEST"
  | "ENGINE_BAD_OUTPUT"
  | "ENGINE_PAIR_UNSUPPORTED"
  | "ENGINE_TIMEOUT"
  | "ENGINE_UNAVAILABLE"
  | "ENGINE_CIRCUIT_OPEN"
  | "ENGINE_FAILED";

/** A CodedError that may say how long the engine asked us to wait (its `Retry-After`). */
export type EngineError = CodedError & { retryAfterMs?: number };

const RETRIED: ReadonlySet<string> = new Set(["ENGINE_RATE_LIMITED", "ENGINE_SERVER_ERROR"]);
const OPENS_CIRCUIT: ReadonlySet<string> = new Set(["ENGINE_AUTH_FAILED", "ENGINE_QUOTA_EXCEEDED"]);
/** Failures that say the engine is struggling or gone rather than that this request was wrong. */
const SUSTAINED: ReadonlySet<string> = new Set([
  "ENGINE_RATE_LIMITED",
  "ENGINE_SERVER_ERROR",
  "ENGINE_TIMEOUT",
  "ENGINE_UNAVAILABLE",
]);

export function engineError(
  code: EngineErrorCode,
  message: string,
  options: { cause?: unknown; retryAfterMs?: number | undefined; permanent?: boolean } = {},
): EngineError {
  const error: EngineError = new CodedError(code, message, {
    cause: options.cause,
    permanent: options.permanent ?? false,
  });
  if (options.retryAfterMs !== undefined) error.retryAfterMs = options.retryAfterMs;
  return error;
}

export function isRetried(error: unknown): boolean {
  return error instanceof CodedError && RETRIED.has(error.code);
}

/** A failure that counts toward opening the circuit when the engine keeps failing so. */
export function isSustainedFailure(error: unknown): boolean {
  return error instanceof CodedError && SUSTAINED.has(error.code);
}

export function opensCircuit(error: unknown): boolean {
  return error instanceof CodedError && OPENS_CIRCUIT.has(error.code);
}

export function retryAfterOf(error: unknown): number | undefined {
  return error instanceof CodedError ? (error as EngineError).retryAfterMs : undefined;
}

/** `Retry-After` as seconds or an HTTP date, in milliseconds from `now`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The usual meaning of an HTTP status from a translation API; each adapter refines it where
 * its engine says more (DeepL's 456, Google's quota reasons, OpenAI's `insufficient_quota`).
 */
export function statusCode(status: number): EngineErrorCode {
  if (status === 429) return "ENGINE_RATE_LIMITED";
  if (status === 401 || status === 403) return "ENGINE_AUTH_FAILED";
  if (status === 456 || status === 402) return "ENGINE_QUOTA_EXCEEDED";
  if (status >= 500) return "ENGINE_SERVER_ERROR";
  return "ENGINE_BAD_REQUEST";
}

/** A failure of `fetch` itself: the engine did not answer in time, or could not be reached. */
export function fetchFailure(engine: string, url: string, timeoutMs: number, error: unknown): EngineError {
  if (error instanceof DOMException && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return engineError("ENGINE_TIMEOUT", `${engine} did not answer within ${timeoutMs} ms.`, { cause: error });
  }
  const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : "";
  return engineError("ENGINE_UNAVAILABLE", `${engine} at ${url} cannot be reached: ${reason}`, { cause: error });
}
