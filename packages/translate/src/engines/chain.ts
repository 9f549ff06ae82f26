import { CodedError, errorMessage } from "@babelwire/core";
import type { TranslateRequest, TranslateResult, TranslationEngine } from "./engine.ts";
import { PIVOT_LANGUAGE, type Route, routeFor } from "./language-pairs.ts";

export interface ChainResult extends TranslateResult {
  engine: string;
  /** The engine had no direct pair and went through English: QA flags it (`pivot_used`). */
  pivot?: boolean;
  /** Engines tried before the one that answered, each with its error code (`deepl: ENGINE_QUOTA_EXCEEDED`). */
  failures?: string[];
}

/**
 * The ordered fallback chain of TRANSLATION_ENGINES. Every engine that offers the pair
 * directly is tried in turn before any engine is asked to pivot through English: a direct
 * translation by the second engine reads better than a double one by the first. The first
 * success wins. When all fail, the last engine's error is raised with the others' codes
 * named, so an operator sees every reason.
 */
export async function translateWithChain(
  engines: TranslationEngine[],
  request: TranslateRequest,
): Promise<ChainResult> {
  const failures: string[] = [];
  const offers = await Promise.all(engines.map((engine) => routeOf(engine, request)));
  const routes = offers.map((offer, index) => {
    if (offer.failure) failures.push(`${engines[index]?.name}: ${offer.failure}`);
    return offer.route;
  });
  // An engine that could not say what it offers may well offer the pair: its error outranks "unsupported".
  let lastError: unknown = offers.find((offer) => offer.error)?.error;
  for (const route of ["direct", "pivot"] as const) {
    for (const [index, engine] of engines.entries()) {
      if (routes[index] !== route) continue;
      try {
        const result = route === "direct" ? await engine.translate(request) : await pivot(engine, request);
        return {
          ...result,
          engine: engine.name,
          ...(route === "pivot" && { pivot: true }),
          ...(failures.length > 0 && { failures }),
        };
      } catch (error) {
        lastError = error;
        failures.push(`${engine.name}: ${error instanceof CodedError ? error.code : errorMessage(error)}`);
      }
    }
  }
  throw chainError(request, failures, lastError);
}

interface Offer {
  route?: Route | undefined;
  failure?: string;
  error?: unknown;
}

async function routeOf(engine: TranslationEngine, request: TranslateRequest): Promise<Offer> {
  try {
    const route = routeFor(await engine.languages(), request.from, request.to);
    return route ? { route } : { failure: "ENGINE_PAIR_UNSUPPORTED" };
  } catch (error) {
    return { failure: error instanceof CodedError ? error.code : errorMessage(error), error };
  }
}

/** Source to English, English to target, on one engine; both legs' characters and unknown words count. */
async function pivot(engine: TranslationEngine, request: TranslateRequest): Promise<TranslateResult> {
  // The glossary speaks of the requested pair, and the context is in the source language: neither fits both legs.
  const { glossary: _pairTerms, context, ...legs } = request;
  const first = await engine.translate({ ...legs, to: PIVOT_LANGUAGE, ...(context !== undefined && { context }) });
  const second = await engine.translate({ ...legs, from: PIVOT_LANGUAGE, segments: first.segments });
  return {
    segments: second.segments,
    unknownWords: [...new Set([...first.unknownWords, ...second.unknownWords])],
    charactersSent: first.charactersSent + second.charactersSent,
  };
}

/** The chain's failure, with every engine's own reason (`name: CODE`) for accounting. */
export class ChainError extends CodedError {
  constructor(
    code: string,
    message: string,
    readonly failures: string[],
    options: { cause?: unknown; permanent?: boolean },
  ) {
    super(code, message, options);
  }
}

function chainError(request: TranslateRequest, failures: string[], lastError: unknown): unknown {
  if (lastError instanceof CodedError) {
    return new ChainError(lastError.code, `${lastError.message} (${failures.join("; ")})`, failures, {
      cause: lastError,
      permanent: lastError.permanent,
    });
  }
  if (lastError) return lastError;
  return new ChainError(
    "ENGINE_PAIR_UNSUPPORTED",
    `No configured engine translates ${request.from} to ${request.to} (${failures.join("; ")}).`,
    failures,
    { permanent: true },
  );
}
