export {
  type ArticleRow,
  countArticles,
  getArticle,
  recordExtraction,
  setArticleAbstract,
  type UpsertOutcome,
  upsertArticle,
} from "./articles.ts";
export { type DatabaseTarget, type Db, describeDatabase, openDatabase } from "./connect.ts";
export { type EmbeddedServer, embeddedServerAnswers, serveEmbedded } from "./embedded-server.ts";
export { migrate } from "./migrations.ts";
export type { FullText, QaFlag, Review, Segment } from "./schema.ts";
export {
  createSource,
  deleteSource,
  findSourceByUrl,
  getSource,
  listSources,
  type NewSource,
  type PollFailure,
  type PollSuccess,
  recordPollFailure,
  recordPollSuccess,
  type SourcePatch,
  type SourceRow,
  updateSource,
} from "./sources.ts";
export { findStoryCandidates, type StoryCandidate, setArticleStory } from "./stories.ts";
export {
  countTokens,
  createToken,
  findLiveToken,
  generateToken,
  hashToken,
  type Role,
  type TokenRow,
} from "./tokens.ts";
export {
  countForReview,
  type EditorPatch,
  ensureTranslation,
  type FeedFilter,
  getTranslation,
  listForReview,
  listPublished,
  listPublishedVersions,
  listTranslationEvents,
  type MachineTranslation,
  type PublishedItem,
  type PublishedVersion,
  type TransitionOptions,
  type TranslationEventRow,
  type TranslationRow,
  transitionTranslation,
} from "./translations.ts";
