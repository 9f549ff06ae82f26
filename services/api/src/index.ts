export { ADMIN_TOKEN_FILE, adminTokenNotice, ensureAdminToken } from "./admin-token.ts";
export { type ApiApp, buildApp } from "./app.ts";
export { MAX_REQUESTS_PER_SOCKET } from "./connection-limits.ts";
export type { ApiDeps } from "./deps.ts";
