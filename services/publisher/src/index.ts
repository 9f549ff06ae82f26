export { publisherService } from "./handlers.ts";
export { type PublishDeps, publishTranslation } from "./publish-translation.ts";
