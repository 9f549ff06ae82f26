import { CodedError, errorMessage } from "@babelwire/core";
import type { TranslateRequest, TranslateResult, TranslationEngine } from "./engine.ts";

export interface ChainResult extends TranslateResult {
  engine: string;
}

/**
 * The ordered fallback chain of TRANSLATION_ENGINES: each engine that offers the pair is tried
 * in turn; the first success wins. When all fail, the last engine's error is raised with the
 * others' codes named, so an operator sees every reason.
 */
export async function translateWithChain(
  engines: TranslationEngine[],
  request: TranslateRequest,
): Promise<ChainResult> {
  const failures: string[] = [];
  let lastError: unknown;
  for (const engine of engines) {
    const pairs = await engine.languages().catch(() => []);
    if (!pairs.some((pair) => pair.from === request.from && pair.to === request.to)) {
      failures.push(`${engine.name}: ENGINE_PAIR_UNSUPPORTED`);
      continue;
    }
    try {
      return { ...(await engine.translate(request)), engine: engine.name };
    } catch (error) {
      lastError = error;
      failures.push(`${engine.name}: ${error instanceof CodedError ? error.code : errorMessage(error)}`);
    }
  }
  if (lastError instanceof CodedError) {
    throw new CodedError(lastError.code, `${lastError.message} (${failures.join("; ")})`, {
      cause: lastError,
      permanent: lastError.permanent,
    });
  }
  if (lastError) throw lastError;
  throw new CodedError(
    "ENGINE_PAIR_UNSUPPORTED",
    `No configured engine translates ${request.from} to ${request.to} (${failures.join("; ")}).`,
    { permanent: true },
  );
}
