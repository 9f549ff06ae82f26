export { OperationError } from "./operation-error.ts";
export { addPartner, changePartner } from "./partners/manage-partners.ts";
export {
  createdPartnerView,
  type PartnerInput,
  partnerView,
  toNewPartner,
  toPartnerPatch,
} from "./partners/partner-input.ts";
export { assertPatchReachable, type EnginePairs, enginePairsOf } from "./sources/check-source.ts";
export {
  addSource,
  changeSource,
  type NewSourceOptions,
  prepareNewSource,
  removeSource,
} from "./sources/manage-sources.ts";
export { type ImportResult, importOpml, renderOpml } from "./sources/opml.ts";
export { type SourceInput, sourceView, toNewSource, toSourcePatch } from "./sources/source-input.ts";
export { issueToken, type TokenInput, tokenSummary } from "./tokens/tokens.ts";
