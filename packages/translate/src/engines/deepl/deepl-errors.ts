import { CodedError } from "@babelwire/core";
import { AuthorizationError, ConnectionError, DeepLError, QuotaExceededError, TooManyRequestsError } from "deepl-node";
import { type EngineError, engineError, statusCode } from "../engine-errors.ts";

/**
 * The SDK's errors as engine codes. The SDK keeps no status or headers on its errors, so a
 * 429 is retried with our own backoff (DeepL's `Retry-After` is not visible through it), and
 * statuses it has no class for are read back from its message.
 */
export function deeplFailure(error: unknown): EngineError | unknown {
  if (error instanceof CodedError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const cause = { cause: error };
  if (error instanceof QuotaExceededError) return engineError("ENGINE_QUOTA_EXCEEDED", `DeepL: ${message}`, cause);
  if (error instanceof AuthorizationError) return engineError("ENGINE_AUTH_FAILED", `DeepL: ${message}`, cause);
  if (error instanceof TooManyRequestsError) return engineError("ENGINE_RATE_LIMITED", `DeepL: ${message}`, cause);
  if (error instanceof ConnectionError) {
    const timedOut = /timeout|ECONNABORTED/i.test(message);
    return engineError(timedOut ? "ENGINE_TIMEOUT" : "ENGINE_UNAVAILABLE", `DeepL: ${message}`, cause);
  }
  if (error instanceof DeepLError) {
    const status = /status code: (\d{3})/.exec(message)?.[1];
    if (status) return engineError(statusCode(Number(status)), `DeepL: ${message}`, cause);
    if (/^Service unavailable/.test(message)) return engineError("ENGINE_SERVER_ERROR", `DeepL: ${message}`, cause);
    if (/^Bad request/.test(message)) return engineError("ENGINE_BAD_REQUEST", `DeepL: ${message}`, cause);
    if (/parsing response/i.test(message)) return engineError("ENGINE_BAD_OUTPUT", `DeepL: ${message}`, cause);
    return engineError("ENGINE_FAILED", `DeepL: ${message}`, cause);
  }
  return engineError("ENGINE_FAILED", `DeepL: ${message}`, cause);
}
