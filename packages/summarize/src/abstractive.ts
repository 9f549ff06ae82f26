import { CodedError } from "@babelwire/core";
import OpenAI from "openai";
import { summarizeExtractive } from "./extractive.ts";

export interface AbstractiveOptions {
  baseUrl?: string | undefined;
  apiKey: string;
  model: string;
  /** One HTTP call, 120 s by default: a model writes slowly. */
  timeoutMs?: number;
}

export interface Summarizer {
  readonly name: string;
  summarize(text: string, lang: string): Promise<string>;
}

const MAX_SUMMARY = 600;
const MAX_INPUT = 20_000;

function numbersIn(text: string): string[] {
  return (text.match(/\d[\d.,\u00a0 ]*\d|\d/g) ?? []).map((number) => number.replace(/[.,\u00a0 ]/g, ""));
}

/**
 * Whether a model's summary may stand in for the article: plain text of a lead's length, and
 * no number the article does not contain (a model that invents a casualty count must not be
 * believed).
 */
export function checkSummary(summary: string, source: string): string | undefined {
  if (!summary.trim()) return "it is empty";
  if (summary.length > MAX_SUMMARY) return `it is longer than ${MAX_SUMMARY} characters`;
  if (/<[a-z/!]/i.test(summary)) return "it contains markup";
  const known = new Set(numbersIn(source));
  const invented = numbersIn(summary).filter((number) => !known.has(number));
  if (invented.length > 0) return `it has numbers the article does not: ${invented.join(", ")}`;
  return undefined;
}

/** The extractive summarizer: graph ranking of the article's own sentences. */
export const extractiveSummarizer: Summarizer = {
  name: "extractive",
  summarize: async (text, lang) => summarizeExtractive(text, { lang, sentences: 3 }),
};

/**
 * Abstractive summaries through any OpenAI-compatible chat endpoint, in the article's own
 * language (the summary is translated with the article). An unusable answer falls back to the
 * extractive summary, so an article is never left without one because a model misbehaved;
 * an unreachable endpoint is an error, so the job is retried.
 */
export function createAbstractiveSummarizer(options: AbstractiveOptions): Summarizer {
  const client = new OpenAI({
    apiKey: options.apiKey,
    maxRetries: 2,
    timeout: options.timeoutMs ?? 120_000,
    ...(options.baseUrl && { baseURL: options.baseUrl }),
  });
  return {
    name: "openai",
    async summarize(text, lang) {
      const completion = await client.chat.completions
        .create({
          model: options.model,
          temperature: 0,
          messages: [
            {
              role: "system",
              content:
                `You write the lead of a news article: two or three sentences, in the language whose BCP 47 tag is ${lang}, ` +
                "plain text without markup. Keep every name and number exactly as the article has them and add nothing it does not say. " +
                "Answer with the lead only.",
            },
            { role: "user", content: text.slice(0, MAX_INPUT) },
          ],
        })
        .catch((error: unknown) => {
          throw new CodedError("SUMMARIZER_UNAVAILABLE", `The summarizer endpoint failed: ${String(error)}`, {
            cause: error,
          });
        });
      const summary = completion.choices?.[0]?.message?.content?.trim() ?? "";
      return checkSummary(summary, text) === undefined ? summary : summarizeExtractive(text, { lang, sentences: 3 });
    },
  };
}
