import { primaryLanguage } from "@babelwire/core";
import { translateInBatches } from "../batches.ts";
import type { LanguagePair, TranslationEngine } from "../engine.ts";
import { engineError } from "../engine-errors.ts";
import { requestJson } from "../http-json.ts";
import { createRequestGate, type RequestGate } from "../resilience/request-gate.ts";

export interface LibreTranslateOptions {
  url: string;
  apiKey?: string | undefined;
  /** One HTTP call, 30 s by default. */
  timeoutMs?: number;
  /** Texts per request; a server started with `--batch-limit` takes no more. */
  maxTexts?: number;
  /** Characters per request; a server started with `--char-limit` takes no more. */
  maxChars?: number;
  gate?: RequestGate;
}

interface LibreLanguage {
  code?: unknown;
  targets?: unknown;
}

/** Codes older LibreTranslate releases use for what BCP 47 spells otherwise. */
const LIBRE_TO_BCP47: Readonly<Record<string, string>> = { pb: "pt-BR", zt: "zh-Hant" };

/** A LibreTranslate code as BCP 47: `pb` → `pt-BR`, `zh-Hans` as it is. */
export function fromLibreCode(code: string): string {
  return LIBRE_TO_BCP47[code] ?? code;
}

/**
 * The server's code for a BCP 47 tag among the codes it offers: the same tag, else its
 * primary language (`pt-BR` → `pb` where offered, else `pt`).
 */
export function toLibreCode(tag: string, offered: readonly string[]): string | undefined {
  const wanted = tag.toLowerCase();
  const exact = offered.find((code) => fromLibreCode(code).toLowerCase() === wanted);
  return exact ?? offered.find((code) => code.toLowerCase() === primaryLanguage(tag));
}

/**
 * LibreTranslate over its HTTP API: `GET /languages`, `POST /translate` with `q` as an array,
 * `format` html or text and the API key in the body.
 */
export function createLibreTranslateEngine(options: LibreTranslateOptions): TranslationEngine {
  const base = options.url.replace(/\/+$/, "");
  const timeoutMs = options.timeoutMs ?? 30_000;
  const gate = options.gate ?? createRequestGate({ engine: "libretranslate" });
  const limits = { maxTexts: options.maxTexts ?? 50, maxSize: options.maxChars ?? 20_000 };
  let offered: { codes: string[]; pairs: LanguagePair[] } | undefined;

  async function load() {
    if (offered) return offered;
    const body = await gate.run(0, () =>
      requestJson("LibreTranslate", `${base}/languages`, { method: "GET", timeoutMs }),
    );
    if (!Array.isArray(body)) throw engineError("ENGINE_BAD_OUTPUT", "LibreTranslate's /languages is not a list.");
    const languages = (body as LibreLanguage[]).filter((language) => typeof language.code === "string");
    const sources = languages.map((language) => String(language.code));
    const targetsOf = (language: LibreLanguage) =>
      Array.isArray(language.targets) ? language.targets.map(String) : sources;
    const pairs = languages.flatMap((language) =>
      targetsOf(language)
        .filter((target) => target !== language.code)
        .map((target) => ({ from: fromLibreCode(String(language.code)), to: fromLibreCode(target) })),
    );
    offered = { codes: [...new Set([...sources, ...languages.flatMap(targetsOf)])], pairs };
    return offered;
  }

  return {
    name: "libretranslate",
    languages: async () => (await load()).pairs,
    async translate(request) {
      const { codes } = await load();
      const source = toLibreCode(request.from, codes);
      const target = toLibreCode(request.to, codes);
      if (!source || !target) {
        throw engineError(
          "ENGINE_PAIR_UNSUPPORTED",
          `LibreTranslate does not offer ${request.from} to ${request.to}.`,
          {
            permanent: true,
          },
        );
      }
      const result = await translateInBatches(
        request.segments,
        limits,
        (text) => text.length,
        async (texts) => {
          const characters = texts.reduce((sum, text) => sum + text.length, 0);
          const body = await gate.run(characters, () =>
            requestJson("LibreTranslate", `${base}/translate`, {
              method: "POST",
              timeoutMs,
              json: {
                q: texts,
                source,
                target,
                format: request.format,
                ...(options.apiKey && { api_key: options.apiKey }),
              },
            }),
          );
          return translatedTexts(body, texts.length);
        },
      );
      return { ...result, unknownWords: [] };
    },
  };
}

function translatedTexts(body: unknown, expected: number): string[] {
  const translated = (body as { translatedText?: unknown } | undefined)?.translatedText;
  if (!Array.isArray(translated) || translated.length !== expected || !translated.every((t) => typeof t === "string")) {
    throw engineError("ENGINE_BAD_OUTPUT", `LibreTranslate did not answer ${expected} translated texts.`);
  }
  return translated as string[];
}
