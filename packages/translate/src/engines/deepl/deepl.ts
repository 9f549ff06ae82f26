import { type Formality, Translator, type TranslatorOptions } from "deepl-node";
import { translateInBatches } from "../batches.ts";
import type { LanguagePair, TranslateRequest, TranslationEngine } from "../engine.ts";
import { engineError } from "../engine-errors.ts";
import { createRequestGate, type RequestGate } from "../resilience/request-gate.ts";
import { fromDeeplCode, toDeeplSource, toDeeplTarget } from "./deepl-codes.ts";
import { deeplFailure } from "./deepl-errors.ts";

export interface DeeplOptions {
  apiKey: string;
  /** A proxy or a test server; unset, the SDK picks api.deepl.com or api-free.deepl.com by the key. */
  serverUrl?: string | undefined;
  /** Sent for targets DeepL offers formality in; the others get none. */
  formality?: Formality | undefined;
  /** The id of a DeepL glossary for a pair (one made from our glossary, say); undefined: none. */
  glossaryId?: ((pair: { from: string; to: string }) => string | undefined | Promise<string | undefined>) | undefined;
  /** One HTTP call, 30 s by default. */
  timeoutMs?: number;
  gate?: RequestGate;
}

/** DeepL's documented limits of one /v2/translate request: 50 texts, 128 KiB of request body. */
const MAX_TEXTS = 50;
const MAX_REQUEST_BYTES = 128 * 1024;
/** Room left in each request for the parameters besides the texts. */
const PARAMETER_BYTES = 2 * 1024;

interface Offered {
  sources: Set<string>;
  targets: Map<string, { supportsFormality: boolean }>;
  pairs: LanguagePair[];
}

/**
 * DeepL through its official SDK, whose own retries are off: the request gate retries,
 * counts and opens the circuit the same way for every engine.
 */
export function createDeeplEngine(options: DeeplOptions): TranslationEngine {
  const sdkOptions: TranslatorOptions = {
    maxRetries: 0,
    minTimeout: options.timeoutMs ?? 30_000,
    sendPlatformInfo: false,
    appInfo: { appName: "babelwire", appVersion: "0.1.0" },
    ...(options.serverUrl && { serverUrl: options.serverUrl.replace(/\/+$/, "") }),
  };
  const translator = new Translator(options.apiKey, sdkOptions);
  const gate = options.gate ?? createRequestGate({ engine: "deepl" });
  let offered: Offered | undefined;

  async function call<T>(characters: number, request: () => Promise<T>): Promise<T> {
    return gate.run(characters, () => request().catch((error: unknown) => Promise.reject(deeplFailure(error))));
  }

  async function load(): Promise<Offered> {
    if (offered) return offered;
    const sources = await call(0, () => translator.getSourceLanguages());
    const targets = await call(0, () => translator.getTargetLanguages());
    offered = {
      sources: new Set(sources.map((language) => language.code.toUpperCase())),
      targets: new Map(
        targets.map((language) => [language.code.toUpperCase(), { supportsFormality: !!language.supportsFormality }]),
      ),
      pairs: pairsOf(
        sources.map((language) => language.code),
        targets.map((language) => language.code),
      ),
    };
    return offered;
  }

  async function codesFor(request: TranslateRequest) {
    const { sources, targets } = await load();
    const source = toDeeplSource(request.from);
    let target = toDeeplTarget(request.to);
    // A variant this account does not offer (ES-419, say) falls back to the plain language.
    if (!targets.has(target)) target = target.split("-")[0] ?? target;
    if (!sources.has(source) || !targets.has(target)) {
      throw engineError("ENGINE_PAIR_UNSUPPORTED", `DeepL does not offer ${request.from} to ${request.to}.`, {
        permanent: true,
      });
    }
    return { source, target, supportsFormality: targets.get(target)?.supportsFormality ?? false };
  }

  return {
    name: "deepl",
    languages: async () => (await load()).pairs,
    async translate(request) {
      const { source, target, supportsFormality } = await codesFor(request);
      const glossaryId = await options.glossaryId?.({ from: request.from, to: request.to });
      const textOptions = {
        ...(request.format === "html" && { tagHandling: "html" as const }),
        ...(request.context && { context: request.context }),
        ...(options.formality && supportsFormality && { formality: options.formality }),
        ...(glossaryId && { glossary: glossaryId }),
      };
      const contextBytes = request.context ? formBytes(request.context) : 0;
      const limits = { maxTexts: MAX_TEXTS, maxSize: MAX_REQUEST_BYTES - PARAMETER_BYTES - contextBytes };
      const result = await translateInBatches(request.segments, limits, formBytes, async (texts) => {
        const characters = texts.reduce((sum, text) => sum + text.length, 0);
        const results = await call(characters, () =>
          translator.translateText(texts, source as "en", target as "en-GB", textOptions),
        );
        if (results.length !== texts.length) {
          throw engineError("ENGINE_BAD_OUTPUT", `DeepL answered ${results.length} texts for ${texts.length}.`);
        }
        return results.map((result) => result.text);
      });
      return { ...result, unknownWords: [] };
    },
  };
}

/** A text's size in the form-encoded request body the SDK sends (`text=…&`). */
function formBytes(text: string): number {
  return new URLSearchParams({ text }).toString().length + 1;
}

/**
 * Every source with every target of another language, as BCP 47; a target with variants is
 * offered under its plain tag too (`EN-GB` also as `en`), which the code mapping resolves.
 */
function pairsOf(sources: string[], targets: string[]): LanguagePair[] {
  const targetTags = new Set(targets.flatMap((code) => [fromDeeplCode(code), fromDeeplCode(code).split("-")[0] ?? ""]));
  return sources.flatMap((sourceCode) => {
    const from = fromDeeplCode(sourceCode);
    return [...targetTags].filter((to) => to.split("-")[0] !== from).map((to) => ({ from, to }));
  });
}
