export { type ExtractiveOptions, extractSentences, summarizeExtractive } from "./extractive.ts";
