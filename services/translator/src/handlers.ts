import type { ServiceParts } from "@babelwire/runtime";
import { type TranslateDeps, translateArticle } from "./translate-article.ts";

export function translatorService(deps: TranslateDeps): ServiceParts {
  return { handlers: { translate: (payload, job) => translateArticle(deps, payload, job) } };
}
