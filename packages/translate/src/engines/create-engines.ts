import type { Config, EngineName } from "@babelwire/config";
import { CodedError } from "@babelwire/core";
import { createApertiumEngine } from "./apertium/apertium.ts";
import { createDeeplEngine } from "./deepl/deepl.ts";
import type { TranslationEngine } from "./engine.ts";
import { createGoogleEngine } from "./google/google.ts";
import { createLibreTranslateEngine } from "./libretranslate/libretranslate.ts";
import { createOpenAiEngine } from "./openai/openai.ts";
import {
  createRequestGate,
  type EngineAlerts,
  type EngineLimits,
  type EngineObserver,
  type RequestGate,
} from "./resilience/request-gate.ts";
import { createSharedLimits, type SharedStore } from "./resilience/shared-limits.ts";

export interface EngineWiring {
  /** Requests, characters, errors and circuit states per engine (the process's Metrics). */
  observer?: EngineObserver | undefined;
  /** Where an engine taken out of the chain is reported (the process's logger). */
  alerts?: EngineAlerts | undefined;
  /** Per engine, limits other than the defaults below. */
  limits?: Partial<Record<string, Partial<EngineLimits>>> | undefined;
  /**
   * Redis, for translator processes that share an engine account: each engine's request rate
   * and circuit openings then hold across all of them. Unset, each process keeps its own.
   */
  shared?: { store: SharedStore; prefix: string } | undefined;
}

/**
 * Each engine's own pace, held in this process: paid APIs get a modest rate, a self-hosted
 * LibreTranslate few parallel calls (it is CPU-bound), an LLM fewer still (each call is long).
 */
const LIMITS: Record<Exclude<EngineName, "apertium">, Partial<EngineLimits>> = {
  deepl: { requestsPerSecond: 10, concurrency: 4 },
  google: { requestsPerSecond: 10, concurrency: 4 },
  libretranslate: { requestsPerSecond: 20, concurrency: 2 },
  openai: { requestsPerSecond: 2, concurrency: 2 },
};

/** Builds the engine chain named by TRANSLATION_ENGINES, in its order. */
export function createEngines(config: Config, wiring: EngineWiring = {}): TranslationEngine[] {
  return config.TRANSLATION_ENGINES.map((name) => {
    if (name === "apertium") {
      const engine = createApertiumEngine({ ...(config.APERTIUM_APY_URL && { apyUrl: config.APERTIUM_APY_URL }) });
      return wiring.observer ? countedEngine(engine, wiring.observer) : engine;
    }
    const gate = createRequestGate({
      engine: name,
      limits: { ...LIMITS[name], ...wiring.limits?.[name] },
      observer: wiring.observer,
      alerts: wiring.alerts,
      shared: wiring.shared && createSharedLimits(wiring.shared.store, wiring.shared.prefix, name),
    });
    return createHttpEngine(name, config, gate);
  });
}

function createHttpEngine(name: Exclude<EngineName, "apertium">, config: Config, gate: RequestGate): TranslationEngine {
  switch (name) {
    case "deepl":
      return createDeeplEngine({
        apiKey: required(config.DEEPL_API_KEY, "DEEPL_API_KEY"),
        serverUrl: config.DEEPL_API_URL,
        gate,
      });
    case "libretranslate":
      return createLibreTranslateEngine({
        url: required(config.LIBRETRANSLATE_URL, "LIBRETRANSLATE_URL"),
        apiKey: config.LIBRETRANSLATE_API_KEY,
        gate,
      });
    case "openai":
      return createOpenAiEngine({
        baseUrl: config.OPENAI_BASE_URL,
        // A local server (Ollama, vLLM) takes any key; the SDK insists on one.
        apiKey: config.OPENAI_API_KEY ?? "unused",
        model: required(config.OPENAI_MODEL, "OPENAI_MODEL"),
        gate,
      });
    case "google":
      return createGoogleEngine({
        apiKey: required(config.GOOGLE_API_KEY, "GOOGLE_API_KEY"),
        endpoint: config.GOOGLE_TRANSLATE_URL,
        gate,
      });
  }
}

/** parseConfig already refused a chain without its engines' variables; this keeps the types honest. */
function required(value: string | undefined, name: string): string {
  if (!value)
    throw new CodedError("ENGINE_NOT_CONFIGURED", `${name}: required by TRANSLATION_ENGINES`, { permanent: true });
  return value;
}

/** Apertium runs locally and needs no limits, but its characters and errors are counted like the others'. */
function countedEngine(engine: TranslationEngine, observer: EngineObserver): TranslationEngine {
  return {
    name: engine.name,
    languages: () => engine.languages(),
    async translate(request) {
      observer.countEngineRequest(engine.name);
      try {
        const result = await engine.translate(request);
        observer.countEngineCharacters(engine.name, result.charactersSent);
        return result;
      } catch (error) {
        observer.countEngineError(engine.name, error instanceof CodedError ? error.code : "ENGINE_FAILED");
        throw error;
      }
    },
  };
}
