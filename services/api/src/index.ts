export { ensureAdminToken } from "./admin-token.ts";
export { type ApiApp, buildApp } from "./app.ts";
export type { ApiDeps } from "./deps.ts";
export { addPartner, assertTokenPartner } from "./partners/manage-partners.ts";
export { createdPartnerView, type PartnerInput, partnerView, toNewPartner } from "./partners/partner-input.ts";
export { ApiError } from "./plugins/errors.ts";
export { assertReachable, checkNewSource, type EnginePairs, enginePairsOf } from "./sources/check-source.ts";
export { addSource, removeSource } from "./sources/manage-sources.ts";
export { type SourceInput, sourceView, toNewSource } from "./sources/source-input.ts";
