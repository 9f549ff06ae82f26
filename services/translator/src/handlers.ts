import { type TranslateDeps, translateArticle } from "@babelwire/translate";
import type { ServiceParts } from "@babelwire/runtime";

export function translatorService(deps: TranslateDeps): ServiceParts {
  return { handlers: { translate: (payload, job) => translateArticle(deps, payload, job) } };
}
