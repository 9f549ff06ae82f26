import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError } from "openai";
import type { ResponseFormatJSONObject, ResponseFormatJSONSchema } from "openai/resources/shared";
import { translateInBatches } from "../batches.ts";
import type { LanguagePair, TranslateRequest, TranslationEngine } from "../engine.ts";
import { type EngineError, engineError, parseRetryAfter, statusCode } from "../engine-errors.ts";
import { ANY_LANGUAGE } from "../language-pairs.ts";
import { createRequestGate, type RequestGate } from "../resilience/request-gate.ts";
import { checkOutput } from "./openai-output.ts";
import { buildMessages, SEGMENTS_SCHEMA } from "./openai-prompt.ts";

export interface OpenAiOptions {
  baseUrl?: string | undefined;
  apiKey: string;
  model: string;
  /** `json_schema` (OpenAI, vLLM, recent Ollama) or `json_object` for servers without structured outputs. */
  responseFormat?: "json_schema" | "json_object";
  /** Languages to offer, all pairs among them; unset, any language (a general model). */
  languages?: string[] | undefined;
  /** One HTTP call, 120 s by default: a model writes slowly. */
  timeoutMs?: number;
  gate?: RequestGate;
}

/** Small enough for a model to keep count of, and to retry cheaply. */
const LIMITS = { maxTexts: 40, maxSize: 8_000 };

/**
 * Any OpenAI-compatible chat endpoint through the official SDK. Segments go in and come out as
 * JSON; an answer with the wrong count or changed markup is asked for once more, saying why,
 * and then fails with ENGINE_BAD_OUTPUT so the chain moves on.
 */
export function createOpenAiEngine(options: OpenAiOptions): TranslationEngine {
  const client = new OpenAI({
    apiKey: options.apiKey,
    maxRetries: 0,
    timeout: options.timeoutMs ?? 120_000,
    ...(options.baseUrl && { baseURL: options.baseUrl }),
  });
  const gate = options.gate ?? createRequestGate({ engine: "openai" });
  const pairs: LanguagePair[] = options.languages
    ? options.languages.flatMap((from) =>
        (options.languages ?? []).filter((to) => to !== from).map((to) => ({ from, to })),
      )
    : [{ from: ANY_LANGUAGE, to: ANY_LANGUAGE }];
  const responseFormat: ResponseFormatJSONSchema | ResponseFormatJSONObject =
    options.responseFormat === "json_object"
      ? { type: "json_object" }
      : { type: "json_schema", json_schema: { name: "translation", strict: true, schema: SEGMENTS_SCHEMA } };

  async function complete(request: TranslateRequest, texts: string[], refused?: string): Promise<string | null> {
    const characters = texts.reduce((sum, text) => sum + text.length, 0);
    const completion = await gate.run(characters, () =>
      client.chat.completions
        .create({
          model: options.model,
          temperature: 0,
          response_format: responseFormat,
          messages: buildMessages({ ...request, segments: texts, refused }),
        })
        .catch((error: unknown) => Promise.reject(openAiFailure(error))),
    );
    const choice = completion.choices?.[0];
    if (choice?.finish_reason === "length") return null;
    return choice?.message?.content ?? null;
  }

  async function translateBatch(request: TranslateRequest, texts: string[]): Promise<string[]> {
    const first = checkOutput(await complete(request, texts), texts);
    if (first.ok) return first.segments;
    const second = checkOutput(await complete(request, texts, first.reason), texts);
    if (second.ok) return second.segments;
    throw engineError("ENGINE_BAD_OUTPUT", `${options.model} answered unusably twice: ${second.reason}.`);
  }

  return {
    name: "openai",
    languages: async () => pairs,
    async translate(request) {
      const result = await translateInBatches(
        request.segments,
        LIMITS,
        (text) => text.length,
        (texts) => translateBatch(request, texts),
      );
      return { ...result, unknownWords: [] };
    },
  };
}

function openAiFailure(error: unknown): EngineError | unknown {
  if (error instanceof APIConnectionTimeoutError) {
    return engineError("ENGINE_TIMEOUT", `OpenAI endpoint did not answer in time.`, { cause: error });
  }
  if (error instanceof APIConnectionError) {
    return engineError("ENGINE_UNAVAILABLE", `OpenAI endpoint cannot be reached: ${error.message}`, { cause: error });
  }
  if (error instanceof APIError && error.status !== undefined) {
    const quota = error.code === "insufficient_quota";
    const headers = error.headers;
    const retryAfterMs = headers?.get("retry-after-ms")
      ? Number(headers.get("retry-after-ms"))
      : parseRetryAfter(headers?.get("retry-after"));
    return engineError(
      quota ? "ENGINE_QUOTA_EXCEEDED" : statusCode(error.status),
      `OpenAI endpoint: ${error.message}`,
      {
        cause: error,
        retryAfterMs,
      },
    );
  }
  return error;
}
