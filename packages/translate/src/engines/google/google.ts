import { primaryLanguage } from "@babelwire/core";
import { translateInBatches } from "../batches.ts";
import type { LanguagePair, TranslationEngine } from "../engine.ts";
import { type EngineError, engineError, statusCode } from "../engine-errors.ts";
import { explain, requestJson } from "../http-json.ts";
import { createRequestGate, type RequestGate } from "../resilience/request-gate.ts";

export interface GoogleOptions {
  apiKey: string;
  /** Cloud Translation v2's base; a proxy or a test server. */
  endpoint?: string | undefined;
  /** One HTTP call, 30 s by default. */
  timeoutMs?: number;
  gate?: RequestGate;
}

const DEFAULT_ENDPOINT = "https://translation.googleapis.com/language/translate/v2";
/** Google's advice for one v2 request: at most 128 texts and 30,000 code points. */
const LIMITS = { maxTexts: 128, maxSize: 30_000 };

/** Google's own spelling where it differs from BCP 47 (`he` is still `iw` in places, Chinese has regions). */
const BCP47_TO_GOOGLE: Readonly<Record<string, string>> = {
  "zh-Hans": "zh-CN",
  "zh-Hant": "zh-TW",
  zh: "zh-CN",
  "zh-HK": "zh-TW",
  nb: "no",
  fil: "tl",
  he: "iw",
};

/** The Google code for a BCP 47 tag among those it offers: its own spelling, the tag, else the primary language. */
export function toGoogleCode(tag: string, offered: ReadonlySet<string>): string | undefined {
  const candidates = [BCP47_TO_GOOGLE[tag], tag, BCP47_TO_GOOGLE[primaryLanguage(tag)], primaryLanguage(tag)];
  return candidates.find((code): code is string => code !== undefined && offered.has(code));
}

const GOOGLE_TO_BCP47: Readonly<Record<string, string>> = {
  "zh-CN": "zh-Hans",
  "zh-TW": "zh-Hant",
  no: "nb",
  tl: "fil",
  iw: "he",
};

export function fromGoogleCode(code: string): string {
  return GOOGLE_TO_BCP47[code] ?? code;
}

/**
 * Google Cloud Translation, Basic (v2) REST with an API key: `POST …/v2?key=` with `q` as an
 * array and `format` html or text; languages from `GET …/v2/languages`.
 */
export function createGoogleEngine(options: GoogleOptions): TranslationEngine {
  const base = (options.endpoint ?? DEFAULT_ENDPOINT).replace(/\/+$/, "");
  const key = `key=${encodeURIComponent(options.apiKey)}`;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const gate = options.gate ?? createRequestGate({ engine: "google" });
  let offered: { codes: Set<string>; pairs: LanguagePair[] } | undefined;

  async function load() {
    if (offered) return offered;
    const body = await gate.run(0, () =>
      requestJson("Google", `${base}/languages?${key}`, { method: "GET", timeoutMs }, refineGoogleError),
    );
    const languages = (body as { data?: { languages?: Array<{ language?: unknown }> } }).data?.languages;
    if (!Array.isArray(languages)) throw engineError("ENGINE_BAD_OUTPUT", "Google's languages answer has no data.");
    const codes = new Set(languages.flatMap((entry) => (typeof entry.language === "string" ? [entry.language] : [])));
    const tags = [...new Set([...codes].map(fromGoogleCode))];
    const pairs = tags.flatMap((from) => tags.filter((to) => to !== from).map((to) => ({ from, to })));
    offered = { codes, pairs };
    return offered;
  }

  return {
    name: "google",
    languages: async () => (await load()).pairs,
    async translate(request) {
      const { codes } = await load();
      const source = toGoogleCode(request.from, codes);
      const target = toGoogleCode(request.to, codes);
      if (!source || !target) {
        throw engineError("ENGINE_PAIR_UNSUPPORTED", `Google does not offer ${request.from} to ${request.to}.`, {
          permanent: true,
        });
      }
      const result = await translateInBatches(
        request.segments,
        LIMITS,
        (text) => [...text].length,
        async (texts) => {
          const characters = texts.reduce((sum, text) => sum + text.length, 0);
          const body = await gate.run(characters, () =>
            requestJson(
              "Google",
              `${base}?${key}`,
              { method: "POST", timeoutMs, json: { q: texts, source, target, format: request.format } },
              refineGoogleError,
            ),
          );
          return translatedTexts(body, texts.length);
        },
      );
      return { ...result, unknownWords: [] };
    },
  };
}

function translatedTexts(body: unknown, expected: number): string[] {
  const translations = (body as { data?: { translations?: Array<{ translatedText?: unknown }> } }).data?.translations;
  const texts = Array.isArray(translations) ? translations.map((entry) => entry.translatedText) : [];
  if (texts.length !== expected || !texts.every((text) => typeof text === "string")) {
    throw engineError("ENGINE_BAD_OUTPUT", `Google did not answer ${expected} translated texts.`);
  }
  return texts as string[];
}

/**
 * Google answers a bad key with 400 (`keyInvalid`, `API_KEY_INVALID`) and an exhausted quota
 * with 403 (`dailyLimitExceeded`, `quotaExceeded`) or 429 (`RESOURCE_EXHAUSTED`, per-minute
 * limits, which pass: retried).
 */
function refineGoogleError(status: number, body: unknown): EngineError | undefined {
  const text = JSON.stringify(body ?? "");
  const message = `Google answered HTTP ${status}: ${explain(body)}`;
  if (/keyInvalid|API_KEY_INVALID|API key not valid/i.test(text)) return engineError("ENGINE_AUTH_FAILED", message);
  if (status === 403 && /dailyLimitExceeded|quotaExceeded|billing/i.test(text)) {
    return engineError("ENGINE_QUOTA_EXCEEDED", message);
  }
  if (status === 400 && /language pair|Bad language|invalid value.*(source|target)/i.test(text)) {
    return engineError("ENGINE_PAIR_UNSUPPORTED", message, { permanent: true });
  }
  return status === 429 || status >= 500 ? undefined : engineError(statusCode(status), message);
}
