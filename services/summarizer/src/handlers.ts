import type { Config } from "@babelwire/config";
import type { Db } from "@babelwire/db";
import type { ServiceParts } from "@babelwire/runtime";
import { chooseSummarizer } from "./choose-summarizer.ts";
import { summarizeArticle } from "./summarize-article.ts";

export function summarizerService(deps: { db: Db; config: Config }): ServiceParts {
  const summarizer = chooseSummarizer(deps.config);
  return { handlers: { summarize: (payload) => summarizeArticle({ db: deps.db, summarizer }, payload) } };
}
