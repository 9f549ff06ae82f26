import type { ServiceParts } from "@babelwire/runtime";
import { type SummarizeDeps, summarizeArticle } from "./summarize-article.ts";

export function summarizerService(deps: SummarizeDeps): ServiceParts {
  return { handlers: { summarize: (payload) => summarizeArticle(deps, payload) } };
}
