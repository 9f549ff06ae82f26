import type { Config } from "@babelwire/config";
import { createAbstractiveSummarizer, extractiveSummarizer, type Summarizer } from "@babelwire/summarize";

/** SUMMARIZER: `extractive` (default), or `openai` through the same OpenAI-compatible endpoint as translation. */
export function chooseSummarizer(config: Config): Summarizer {
  if (config.SUMMARIZER !== "openai") return extractiveSummarizer;
  if (!config.OPENAI_MODEL) throw new Error("OPENAI_MODEL: required when SUMMARIZER is openai");
  return createAbstractiveSummarizer({
    baseUrl: config.OPENAI_BASE_URL,
    // A local server (Ollama, vLLM) takes any key; the SDK insists on one.
    apiKey: config.OPENAI_API_KEY ?? "unused",
    model: config.OPENAI_MODEL,
  });
}
