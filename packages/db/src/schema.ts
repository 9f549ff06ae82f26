import type {
  DeliveryEvent,
  FullText,
  GlossaryUse,
  Media,
  MemoryOrigin,
  QaFlag,
  Review,
  Segment,
  TranslationState,
} from "@babelwire/core";
import type { ColumnType, Generated, JSONColumnType } from "kysely";

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

// Declared in core, where the translate pipeline reads them too; db's own files and users import them from here.
export type { FullText, GlossaryUse, MemoryOrigin, QaFlag, Review, Segment };

export interface SourcesTable {
  id: string;
  url: string;
  name: string;
  language: string;
  targets: string[];
  interval_seconds: number;
  review: Review;
  full_text: FullText;
  created_at: CreatedAt;
  updated_at: Timestamp;
  etag: string | null;
  last_modified: string | null;
  /** What the last poll that stored every item saw (see feedFingerprint); null makes the next poll store them all. */
  feed_fingerprint: string | null;
  last_fetched_at: Timestamp | null;
  last_success_at: Timestamp | null;
  last_status: number | null;
  error_code: string | null;
  error_message: string | null;
  consecutive_errors: Generated<number>;
  next_poll_at: Timestamp | null;
  items_seen: Generated<number>;
  poll_interval_seconds: number | null;
  median_gap_seconds: number | null;
  quiet: Generated<boolean>;
  /** Paused by an operator: not polled until resumed. */
  paused: Generated<boolean>;
  newest_item_at: Timestamp | null;
  review_languages: JSONColumnType<Record<string, Review>, string | undefined, string>;
  /** The agency's licence or terms page, given to partners as ninjs `rightsinfo.linkedrights`. */
  rights_url: string | null;
  /** What partners may do with the items, in the operator's words; a default sentence when null. */
  usage_terms: string | null;
}

export interface ArticlesTable {
  id: string;
  source_id: string;
  guid: string;
  url: string | null;
  title: string;
  summary: string;
  content_html: string;
  content_text: string;
  language: string;
  published_at: Timestamp;
  updated_at: Timestamp;
  authors: JSONColumnType<string[]>;
  categories: JSONColumnType<string[]>;
  media: JSONColumnType<Media[]>;
  content_hash: string;
  version: Generated<number>;
  abstract: string | null;
  simhash: string | null;
  simhash_bands: string[] | null;
  story_id: string | null;
  extracted_at: Timestamp | null;
  extract_error: string | null;
  first_seen_at: CreatedAt;
  changed_at: Timestamp;
  withdrawn_at: Timestamp | null;
  withdrawn_reason: string | null;
}

export interface TranslationsTable {
  id: string;
  article_id: string;
  lang: string;
  article_version: number;
  status: TranslationState;
  version: Generated<number>;
  title: string | null;
  summary: string | null;
  content_html: string | null;
  segments: JSONColumnType<Segment[]>;
  qa: JSONColumnType<QaFlag[]>;
  engine: string | null;
  error_code: string | null;
  error_message: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
  published_at: Timestamp | null;
  live_title: string | null;
  live_summary: string | null;
  live_content_html: string | null;
  live_version: number | null;
  live_at: Timestamp | null;
  /** The transaction that last set live_at, as text: the row's place in the `changes` order. */
  change_xid: Generated<string>;
  machine_draft: JSONColumnType<MachineDraft | null, string | null, string | null>;
  edit_rate: number | null;
  /** When it last went to review (not moved by edits while there); null when it never did. */
  review_since: Timestamp | null;
}

/** The engine's text as it came out, before any editor touched it. */
export interface MachineDraft {
  title: string;
  summary: string;
  segments: Array<{ id: string; target: string }>;
  engine: string;
  /** Glossary terms the engine was made to keep (sent as placeholders and restored as the glossary says). */
  glossary: GlossaryUse[];
}

export interface TranslationEventsTable {
  id: string;
  translation_id: string;
  at: CreatedAt;
  actor: string;
  action: string;
  from_status: string | null;
  to_status: string | null;
  detail: JSONColumnType<Record<string, unknown>>;
}

export interface TokensTable {
  id: string;
  hash: string;
  role: "admin" | "editor" | "partner";
  partner_id: string | null;
  label: string | null;
  created_at: CreatedAt;
  expires_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface TranslationMemoryTable {
  from_lang: string;
  to_lang: string;
  source_hash: string;
  source: string;
  target: string;
  origin: MemoryOrigin;
  engine: string | null;
  uses: Generated<number>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface AuditLogTable {
  id: string;
  at: CreatedAt;
  actor: string;
  role: string | null;
  method: string;
  route: string;
  target: string | null;
  status: number;
  request_id: string | null;
}

export interface PartnersTable {
  id: string;
  name: string;
  languages: string[];
  /** Licensed sources; null means every source. */
  sources: string[] | null;
  webhook_url: string | null;
  webhook_secret: string;
  allow_private_webhook: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export type WebSubState = "pending" | "active" | "denied" | "ended";
export type WebSubMode = "subscribe" | "unsubscribe";
export type WebSubFormat = "rss" | "atom" | "json";

export interface WebSubSubscriptionsTable {
  id: string;
  callback: string;
  topic: string;
  lang: string;
  format: WebSubFormat;
  source_filter: string | null;
  category: string | null;
  item_limit: number;
  token_id: string;
  state: Generated<WebSubState>;
  secret: string | null;
  lease_seconds: number | null;
  expires_at: Timestamp | null;
  intent_id: string;
  intent_mode: WebSubMode;
  intent_secret: string | null;
  intent_lease_seconds: number;
  verified_at: Timestamp | null;
  last_error: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface SourcePushTable {
  source_id: string;
  hub: string;
  topic: string;
  callback_id: string;
  secret: string;
  state: "requested" | "active" | "denied";
  requested_at: Timestamp;
  lease_expires_at: Timestamp | null;
  verified_at: Timestamp | null;
  last_push_at: Timestamp | null;
  pushes: Generated<number>;
  dropped: Generated<number>;
  error: string | null;
}

export interface SourcePushesTable {
  id: string;
  source_id: string;
  body: Buffer;
  content_type: string | null;
  link: string | null;
  received_at: CreatedAt;
}

export interface WebSubDeliveriesTable {
  id: string;
  subscription_id: string;
  translation_id: string;
  event: DeliveryEvent;
  live_version: number;
  status: Generated<"pending" | "delivered" | "failed">;
  attempts: Generated<number>;
  last_status: number | null;
  last_error: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
  delivered_at: Timestamp | null;
}

export interface DeliveriesTable {
  id: string;
  partner_id: string;
  event: DeliveryEvent;
  translation_id: string;
  article_id: string;
  lang: string;
  live_version: number;
  status: Generated<"pending" | "delivered" | "failed">;
  attempts: Generated<number>;
  last_status: number | null;
  last_error: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
  delivered_at: Timestamp | null;
}

export interface GlossaryTable {
  from_lang: string;
  to_lang: string;
  term: string;
  translation: string;
  case_sensitive: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface EngineUsageTable {
  engine: string;
  day: ColumnType<string, string, string>;
  requests: Generated<number>;
  characters: ColumnType<string | number, number, number>;
  errors: Generated<number>;
}

export interface MigrationsTable {
  id: string;
  applied_at: CreatedAt;
}

export interface Schema {
  sources: SourcesTable;
  articles: ArticlesTable;
  translations: TranslationsTable;
  translation_events: TranslationEventsTable;
  tokens: TokensTable;
  translation_memory: TranslationMemoryTable;
  audit_log: AuditLogTable;
  partners: PartnersTable;
  glossary: GlossaryTable;
  engine_usage: EngineUsageTable;
  deliveries: DeliveriesTable;
  websub_subscriptions: WebSubSubscriptionsTable;
  websub_deliveries: WebSubDeliveriesTable;
  source_push: SourcePushTable;
  source_pushes: SourcePushesTable;
  schema_migrations: MigrationsTable;
}
