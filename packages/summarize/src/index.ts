export {
  type AbstractiveOptions,
  checkSummary,
  createAbstractiveSummarizer,
  extractiveSummarizer,
  type Summarizer,
} from "./abstractive.ts";
export { type ExtractiveOptions, extractSentences, summarizeExtractive } from "./extractive.ts";
