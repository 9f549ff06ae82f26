import { type Kysely, sql } from "kysely";
import type { Schema } from "./schema.ts";

/**
 * Forward-only migrations, applied in order, each once, in one transaction each.
 * SQL that both PostgreSQL 15 (Debian's server) and PGlite (PostgreSQL 18) accept.
 */
const MIGRATIONS: Array<{ id: string; statements: string[] }> = [
  {
    id: "001_foundation",
    statements: [
      `create table sources (
        id uuid primary key,
        url text not null unique,
        name text not null,
        language text not null default 'auto',
        targets text[] not null,
        interval_seconds integer not null default 300 check (interval_seconds > 0),
        review text not null default 'auto' check (review in ('auto', 'required')),
        full_text text not null default 'auto' check (full_text in ('auto', 'always', 'never')),
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        etag text,
        last_modified text,
        last_fetched_at timestamptz,
        last_success_at timestamptz,
        last_status integer,
        error_code text,
        error_message text,
        consecutive_errors integer not null default 0,
        next_poll_at timestamptz,
        items_seen integer not null default 0
      )`,
      `create table articles (
        id uuid primary key,
        source_id uuid not null references sources (id) on delete cascade,
        guid text not null,
        url text,
        title text not null,
        summary text not null default '',
        content_html text not null default '',
        content_text text not null default '',
        language text not null,
        published_at timestamptz not null,
        updated_at timestamptz not null,
        authors jsonb not null default '[]',
        categories jsonb not null default '[]',
        media jsonb not null default '[]',
        content_hash text not null,
        version integer not null default 1,
        abstract text,
        first_seen_at timestamptz not null default now(),
        changed_at timestamptz not null default now(),
        unique (source_id, guid)
      )`,
      `create table translations (
        id uuid primary key,
        article_id uuid not null references articles (id) on delete cascade,
        lang text not null,
        article_version integer not null,
        status text not null,
        version integer not null default 1,
        title text,
        summary text,
        content_html text,
        segments jsonb not null default '[]',
        qa jsonb not null default '[]',
        engine text,
        error_code text,
        error_message text,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        published_at timestamptz,
        unique (article_id, lang)
      )`,
      "create index translations_feed on translations (lang, status, published_at desc)",
      `create table translation_events (
        id uuid primary key,
        translation_id uuid not null references translations (id) on delete cascade,
        at timestamptz not null default now(),
        actor text not null,
        action text not null,
        from_status text,
        to_status text,
        detail jsonb not null default '{}'
      )`,
      "create index translation_events_by_translation on translation_events (translation_id, at)",
      `create table tokens (
        id uuid primary key,
        hash text not null unique,
        role text not null check (role in ('admin', 'editor', 'partner')),
        partner_id uuid,
        label text,
        created_at timestamptz not null default now(),
        expires_at timestamptz,
        revoked_at timestamptz
      )`,
    ],
  },
  {
    id: "002_stories",
    statements: [
      // A simhash of the text and its four quarters, so near-duplicates across sources are found by index.
      "alter table articles add column simhash text",
      "alter table articles add column simhash_bands text[]",
      "alter table articles add column story_id uuid",
      "create index articles_simhash_bands on articles using gin (simhash_bands)",
      "create index articles_story on articles (story_id)",
    ],
  },
  {
    id: "003_adaptive_polling",
    statements: [
      "alter table sources add column poll_interval_seconds integer",
      "alter table sources add column median_gap_seconds integer",
      "alter table sources add column quiet boolean not null default false",
      "alter table sources add column newest_item_at timestamptz",
    ],
  },
  {
    id: "004_full_text",
    statements: [
      // Set once the article page was fetched for this version (or tried for good); reset by a new version.
      "alter table articles add column extracted_at timestamptz",
      "alter table articles add column extract_error text",
    ],
  },
  {
    id: "005_editorial",
    statements: [
      // Exact-match translation memory per language pair: an editor's approved segment (`human`)
      // wins over any engine; engine output (`machine`) is kept so an updated article only sends
      // what changed.
      `create table translation_memory (
        from_lang text not null,
        to_lang text not null,
        source_hash text not null,
        source text not null,
        target text not null,
        origin text not null check (origin in ('human', 'machine')),
        uses integer not null default 0,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        primary key (from_lang, to_lang, source_hash)
      )`,
      // What partners see stays what was last published while a new version waits for review.
      "alter table translations add column live_title text",
      "alter table translations add column live_summary text",
      "alter table translations add column live_content_html text",
      "alter table translations add column live_version integer",
      // When the live text last changed (published, updated or withdrawn): the partners' sync cursor.
      "alter table translations add column live_at timestamptz",
      "create index translations_live on translations (lang, live_at, id) where live_at is not null",
      `update translations set live_title = title, live_summary = summary, live_content_html = content_html,
        live_version = version, live_at = coalesce(published_at, updated_at) where status in ('published', 'withdrawn')`,
      // Review policy per target language, overriding the source's `review`.
      "alter table sources add column review_languages jsonb not null default '{}'::jsonb",
      "alter table articles add column withdrawn_at timestamptz",
      "alter table articles add column withdrawn_reason text",
      // Every write through the API, with the identity of the token that made it.
      `create table audit_log (
        id uuid primary key,
        at timestamptz not null default now(),
        actor text not null,
        role text,
        method text not null,
        route text not null,
        target text,
        status integer not null,
        request_id text
      )`,
      "create index audit_log_at on audit_log (at, id)",
    ],
  },
  {
    id: "006_partners",
    statements: [
      // A partner licenses languages and, optionally, only some sources (`sources` null = all).
      `create table partners (
        id uuid primary key,
        name text not null,
        languages text[] not null,
        sources uuid[],
        webhook_url text,
        webhook_secret text not null,
        allow_private_webhook boolean not null default false,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`,
      // One row per webhook event per partner; `id` is the X-Babelwire-Delivery header.
      `create table deliveries (
        id uuid primary key,
        partner_id uuid not null references partners (id) on delete cascade,
        event text not null check (event in ('published', 'updated', 'withdrawn')),
        translation_id uuid not null,
        article_id uuid not null,
        lang text not null,
        live_version integer not null,
        status text not null default 'pending' check (status in ('pending', 'delivered', 'failed')),
        attempts integer not null default 0,
        last_status integer,
        last_error text,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        delivered_at timestamptz,
        unique (partner_id, translation_id, event, live_version)
      )`,
      "create index deliveries_partner on deliveries (partner_id, created_at, id)",
    ],
  },
  {
    id: "007_glossary",
    statements: [
      // Terms an engine must render one way; a translation equal to the term means "do not translate".
      `create table glossary (
        from_lang text not null,
        to_lang text not null,
        term text not null,
        translation text not null,
        case_sensitive boolean not null default true,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        primary key (from_lang, to_lang, term)
      )`,
    ],
  },
  {
    id: "008_engine_usage",
    statements: [
      // What each engine was sent and how often it failed, per day: what a paid engine will bill.
      `create table engine_usage (
        engine text not null,
        day date not null,
        requests integer not null default 0,
        characters bigint not null default 0,
        errors integer not null default 0,
        primary key (engine, day)
      )`,
      // Who received an item is looked up on every withdrawal.
      "create index deliveries_translation on deliveries (translation_id)",
    ],
  },
  {
    id: "009_source_rights",
    statements: [
      // What partners may do with an agency's items: a link to its terms, and terms in words.
      "alter table sources add column rights_url text",
      "alter table sources add column usage_terms text",
    ],
  },
  {
    id: "010_websub_hub",
    statements: [
      // A WebSub subscriber's callback on a partner feed (the topic, with its token): active once
      // the callback confirmed intent, until its lease ends, the token dies or a 410 ends it.
      // intent_* is the latest request, applied only when the callback confirms it.
      `create table websub_subscriptions (
        id uuid primary key,
        callback text not null,
        topic text not null,
        lang text not null,
        format text not null check (format in ('rss', 'atom', 'json')),
        source_filter uuid,
        category text,
        item_limit integer not null,
        token_id uuid not null references tokens (id) on delete cascade,
        state text not null default 'pending' check (state in ('pending', 'active', 'denied', 'ended')),
        secret text,
        lease_seconds integer,
        expires_at timestamptz,
        intent_id uuid not null unique,
        intent_mode text not null check (intent_mode in ('subscribe', 'unsubscribe')),
        intent_secret text,
        intent_lease_seconds integer not null,
        verified_at timestamptz,
        last_error text,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        unique (callback, topic)
      )`,
      "create index websub_subscriptions_live on websub_subscriptions (lang) where state = 'active'",
      // One row per new feed content per subscription; its id is the delivery's job.
      `create table websub_deliveries (
        id uuid primary key,
        subscription_id uuid not null references websub_subscriptions (id) on delete cascade,
        translation_id uuid not null,
        event text not null,
        live_version integer not null,
        status text not null default 'pending' check (status in ('pending', 'delivered', 'failed')),
        attempts integer not null default 0,
        last_status integer,
        last_error text,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        delivered_at timestamptz,
        unique (subscription_id, translation_id, event, live_version)
      )`,
      "create index websub_deliveries_subscription on websub_deliveries (subscription_id, created_at, id)",
    ],
  },
  {
    id: "011_websub_source_push",
    statements: [
      // A source's subscription at the hub its feed announces: the callback id in our URL is
      // unguessable, the secret signs what the hub pushes, state and times are its health.
      `create table source_push (
        source_id uuid primary key references sources (id) on delete cascade,
        hub text not null,
        topic text not null,
        callback_id text not null unique,
        secret text not null,
        state text not null check (state in ('requested', 'active', 'denied')),
        requested_at timestamptz not null,
        lease_expires_at timestamptz,
        verified_at timestamptz,
        last_push_at timestamptz,
        pushes integer not null default 0,
        dropped integer not null default 0,
        error text
      )`,
      // Pushed feed bodies waiting for the ingestor; deleted once stored.
      `create table source_pushes (
        id uuid primary key,
        source_id uuid not null references sources (id) on delete cascade,
        body bytea not null,
        content_type text,
        link text,
        received_at timestamptz not null default now()
      )`,
    ],
  },
  {
    id: "012_desk",
    statements: [
      // What the engine produced, kept as it was so an editor's changes can be diffed and measured.
      "alter table translations add column machine_draft jsonb",
      // Word-level edits ÷ words of the approved text, stored when an editor approves.
      "alter table translations add column edit_rate double precision",
      // Which engine translated a remembered segment, so a translation made from memory names it.
      "alter table translation_memory add column engine text",
      // Since when a translation waits for an editor: edits while it waits do not send it to the back of the queue.
      "alter table translations add column review_since timestamptz",
      "update translations set review_since = updated_at where status = 'in_review'",
      "create index translations_review on translations (status, review_since, id)",
    ],
  },
  {
    id: "013_source_paused",
    statements: [
      // An operator's pause: the source keeps its settings and health, and is not polled until resumed.
      "alter table sources add column paused boolean not null default false",
    ],
  },
  {
    id: "014_review_strict",
    statements: [
      // `strict` holds a translation on any QA flag; `auto` now holds it only on an error.
      "alter table sources drop constraint if exists sources_review_check",
      "alter table sources add constraint sources_review_check check (review in ('auto', 'strict', 'required'))",
    ],
  },
  {
    id: "015_change_order",
    statements: [
      // The sync's `changes` order: the id of the transaction that last made the row live or
      // withdrew it (see listPublished). Rows live before this migration keep 0, so they come
      // first, in their old order by live_at.
      "alter table translations add column if not exists change_xid xid8 not null default '0'",
      "create index if not exists translations_changes on translations (lang, change_xid, live_at, id) where live_at is not null",
    ],
  },
  {
    id: "016_feed_fingerprint",
    statements: [
      // What the last complete poll stored (items, their content, the source's settings), so a
      // feed answering 200 with the same items costs one statement instead of two per item.
      "alter table sources add column if not exists feed_fingerprint text",
    ],
  },
];

/** An arbitrary constant that keeps concurrent starts from migrating at the same time. */
const MIGRATION_LOCK = 7_244_113;

export async function migrate(db: Kysely<Schema>): Promise<string[]> {
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK})`.execute(conn);
    try {
      await sql`create table if not exists schema_migrations (
        id text primary key, applied_at timestamptz not null default now())`.execute(conn);
      const done = new Set((await conn.selectFrom("schema_migrations").select("id").execute()).map((row) => row.id));
      const applied: string[] = [];
      for (const migration of MIGRATIONS) {
        if (done.has(migration.id)) continue;
        await conn.transaction().execute(async (trx) => {
          for (const statement of migration.statements) await sql.raw(statement).execute(trx);
          await trx.insertInto("schema_migrations").values({ id: migration.id }).execute();
        });
        applied.push(migration.id);
      }
      return applied;
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK})`.execute(conn);
    }
  });
}
