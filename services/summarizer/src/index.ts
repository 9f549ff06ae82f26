export { summarizerService } from "./handlers.ts";
export { type SummarizeDeps, summarizeArticle } from "./summarize-article.ts";
