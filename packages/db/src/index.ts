// Declared in core; re-exported until the partners' routes import it from there.
export type { PublishedItem } from "@babelwire/core";
export { advanceTranslation, claimTranslation, type PipelineStep } from "./advance-translation.ts";
export {
  type ArticleRow,
  countArticles,
  getArticle,
  getArticleWithReview,
  recordExtraction,
  setArticleAbstract,
  type UpsertOutcome,
  upsertArticle,
} from "./articles.ts";
export { type AuditEntry, type AuditRow, listAudit, pruneAudit, recordAudit } from "./audit.ts";
export { type DatabaseTarget, type Db, describeDatabase, openDatabase } from "./connect.ts";
export {
  type DeliveryAttempt,
  type DeliveryRow,
  type DeliveryTarget,
  ensureDelivery,
  getDeliveryTarget,
  listDeliveries,
  listPendingDeliveryIds,
  type NewDelivery,
  partnersThatReceived,
  recordDeliveryAttempt,
} from "./deliveries.ts";
export { type EmbeddedServer, embeddedServerAnswers, serveEmbedded } from "./embedded-server.ts";
export { type EngineUsageRow, type EngineUse, listEngineUsage, recordEngineUsage } from "./engine-usage.ts";
export { deleteGlossary, type GlossaryEntry, listGlossary, putGlossaryEntries } from "./glossary.ts";
export {
  countMemoryUses,
  deleteMemoryEntry,
  listMemory,
  listMemoryEntries,
  lookupMemory,
  type MemoryEntry,
  type MemoryListing,
  type MemoryPair,
  normalizeSegment,
  rememberSegments,
} from "./memory.ts";
export { migrate } from "./migrations.ts";
export {
  createPartner,
  deletePartner,
  getPartner,
  isEntitled,
  listPartners,
  type NewPartner,
  type PartnerPatch,
  type PartnerRow,
  partnersToNotify,
  partnersWithWebhooks,
  unknownSources,
  updatePartner,
} from "./partners.ts";
export type {
  FullText,
  GlossaryUse,
  MachineDraft,
  MemoryOrigin,
  QaFlag,
  Review,
  Segment,
} from "./schema.ts";
export {
  findSourcePushByCallback,
  getSourcePush,
  listSourcePushes,
  recordPushDropped,
  recordPushError,
  recordPushReceived,
  recordPushRequested,
  recordPushVerified,
  type SourcePushRow,
  takePushedBody,
} from "./source-push.ts";
export {
  countItemsLastDay,
  createSource,
  deleteSource,
  findSourceByUrl,
  forgetFeedFingerprints,
  getSource,
  listSources,
  type NewSource,
  type PollFailure,
  type PollSuccess,
  recordPollFailure,
  recordPollSuccess,
  reviewPolicy,
  type SourcePatch,
  type SourceRow,
  sourceWorkIds,
  updateSource,
} from "./sources.ts";
export { linkStory, setArticleStory } from "./stories.ts";
export {
  countTokens,
  createToken,
  findLiveToken,
  findLiveTokenById,
  generateToken,
  hashToken,
  listTokens,
  type Role,
  revokeToken,
  type TokenRow,
  tokenLabels,
} from "./tokens.ts";
export {
  type ChangePosition,
  countForReview,
  countTranslationsByState,
  type EditorPatch,
  type EngineQuality,
  engineQuality,
  ensureTranslation,
  type FeedFilter,
  getTranslation,
  listForReview,
  listLiveLanguagesOfSource,
  listPendingTranslations,
  listPublished,
  listPublishedVersions,
  listTranslationEvents,
  type MachineTranslation,
  type PublishedVersion,
  type TransitionOptions,
  type TranslationEventRow,
  type TranslationRow,
  transitionTranslation,
} from "./translations.ts";
export {
  activeWebSubSubscriptions,
  confirmWebSubIntent,
  endWebSubSubscription,
  ensureWebSubDelivery,
  getWebSubDeliveryTarget,
  getWebSubIntent,
  listPendingWebSubJobs,
  listWebSubDeliveries,
  listWebSubSubscriptions,
  refuseWebSubIntent,
  requestWebSubIntent,
  type WebSubAudience,
  type WebSubDeliveryRow,
  type WebSubDeliveryTarget,
  type WebSubIntent,
  type WebSubIntentTarget,
  type WebSubSubscriptionRow,
} from "./websub.ts";
export { type Reinstatement, reinstateArticle, type Withdrawal, withdrawArticle } from "./withdrawals.ts";
