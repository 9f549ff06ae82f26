export { ensureAdminToken } from "./admin-token.ts";
export { type ApiApp, buildApp } from "./app.ts";
export type { ApiDeps } from "./deps.ts";
export { ApiError } from "./plugins/errors.ts";
export { toFeedItem } from "./routes/partners/feeds.ts";
export { addSource, removeSource } from "./sources/manage-sources.ts";
export { type SourceInput, sourceView, toNewSource } from "./sources/source-input.ts";
