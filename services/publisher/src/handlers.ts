import type { ServiceParts } from "@babelwire/runtime";
import { type PublishDeps, publishTranslation } from "./publish-translation.ts";

export function publisherService(deps: PublishDeps): ServiceParts {
  return { handlers: { publish: (payload) => publishTranslation(deps, payload) } };
}
