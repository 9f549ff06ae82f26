export { type ExtractDeps, extractFullText } from "./extract-article.ts";
export { ingestorService } from "./handlers.ts";
export { type PollPlan, planNextPoll } from "./next-poll.ts";
export { type PollDeps, type PollOutcome, pollSource } from "./poll-source.ts";
export { reconcile } from "./reconcile.ts";
