import { createHash } from "node:crypto";
import type { Config } from "@babelwire/config";
import { CodedError, errorCode, errorMessage, type NormalizedArticle, redactUrl } from "@babelwire/core";
import {
  type Db,
  getSource,
  recordPollFailure,
  recordPollSuccess,
  type SourceRow,
  takePushedBody,
  updateSource,
  upsertArticle,
} from "@babelwire/db";
import {
  distinctGuids,
  type FeedConnections,
  FeedError,
  type FeedReadResult,
  type HostLimiter,
  type IsolatePool,
  readFeed,
  readFeedBody,
  shouldFetchFullText,
} from "@babelwire/ingest";
import type { Metrics } from "@babelwire/metrics";
import type { JobPayload, Queues } from "@babelwire/queue";
import type { Logger } from "@babelwire/runtime";
import { assignStory } from "./assign-story.ts";
import { medianGapSeconds, planNextPoll } from "./next-poll.ts";
import { queueTranslations } from "./queue-translations.ts";
import { keepPushSubscription, PUSH_SAFETY_POLL_SECONDS } from "./websub/keep-subscription.ts";

export interface PollDeps {
  db: Db;
  queues: Queues;
  logger: Logger;
  /** One per process: at most a few requests at a time to any one host. */
  hostLimiter?: HostLimiter;
  /** One per process: kept-alive connections, reused by the next poll of the same host. */
  connections?: FeedConnections;
  /** One per process: worker threads for large bodies, so one item cannot stall the process. */
  isolate?: IsolatePool;
  /**
   * One per process: what each source's last poll saw of it, so that the next poll answered
   * 304 costs one statement (a guarded update) instead of a read and a write.
   */
  pollStates?: PollStates;
  /**
   * One per process: sources whose scheduled poll is running. A tick comes every minute, and the
   * first poll of a large feed can take longer (2,000 items took most of a minute in `bench
   * pipeline`): the next tick found the source not yet planned and stored every item again beside it.
   */
  polling?: Set<string>;
  now?: () => Date;
  /** Where file sources may read (FEED_FILES_DIR and the examples); anywhere when absent. */
  fileRoots?: readonly string[];
  /** Counts polls by outcome and the articles they stored. */
  metrics?: Pick<Metrics, "countPoll" | "countArticlesIngested">;
  /** Where WebSub hubs call back (PUBLIC_BASE_URL); without it sources are only polled. */
  config?: Pick<Config, "PUBLIC_BASE_URL">;
}

/**
 * How early a tick may find a source due. Its next poll is planned at the last poll's start plus
 * the interval, a whole number of the scheduler's one-minute ticks, and BullMQ runs a repeat
 * job a few milliseconds early or late: without slack, a tick landing 20 ms before the plan
 * skipped the source and it waited a whole extra minute (the load test saw a third of the
 * one-minute sources polled every two minutes). Half a tick keeps every tick on one side.
 */
const DUE_SLACK_MS = 30_000;

// What a poll reads of its source, not the whole row: a 304 needs only the first nine columns.
const POLL_COLUMNS = [
  "id",
  "url",
  "name",
  "language",
  "etag",
  "last_modified",
  "feed_fingerprint",
  "next_poll_at",
  "consecutive_errors",
  "poll_interval_seconds",
  "interval_seconds",
  "median_gap_seconds",
  "newest_item_at",
  "full_text",
  "targets",
  "updated_at",
  "paused",
] as const;

type PolledSource = Pick<SourceRow, (typeof POLL_COLUMNS)[number]>;

/** Sources as this process last wrote them after a 304, by id. */
export type PollStates = Map<string, PolledSource>;

export type PollOutcome =
  | { outcome: "skipped"; reason: string }
  | { outcome: "not_modified" }
  | { outcome: "fetched"; items: number; new: number; updated: number }
  | { outcome: "error"; code: string };

/** One poll of one source, counted by outcome (`fetched`, `not_modified`, `skipped` or the error code). */
export async function pollSource(deps: PollDeps, payload: JobPayload<"poll">): Promise<PollOutcome> {
  // Only ticks wait their turn: a poll asked for (or a push) may have news the running one missed.
  const tick = !payload.force && !payload.pushId;
  if (tick && deps.polling?.has(payload.sourceId)) {
    deps.metrics?.countPoll("skipped");
    return { outcome: "skipped", reason: "a poll of it is under way" };
  }
  if (tick) deps.polling?.add(payload.sourceId);
  let result: PollOutcome;
  try {
    result = await pollOnce(deps, payload);
  } catch (error) {
    deps.metrics?.countPoll(errorCode(error));
    throw error;
  } finally {
    if (tick) deps.polling?.delete(payload.sourceId);
  }
  deps.metrics?.countPoll(result.outcome === "error" ? result.code : result.outcome);
  if (result.outcome === "fetched") deps.metrics?.countArticlesIngested(result.new + result.updated);
  return result;
}

/**
 * One poll of one source, top to bottom: fetch and read the feed, store each article,
 * queue the work each new version needs, and record the result on the source. A feed that
 * cannot be read is an error stored on the source (where operators look), not a failed job.
 */
async function pollOnce(deps: PollDeps, payload: JobPayload<"poll">): Promise<PollOutcome> {
  const now = deps.now?.() ?? new Date();
  if (payload.pushId) return ingestPush(deps, payload.sourceId, payload.pushId, now, payload.requestId);
  const remembered = deps.pollStates?.get(payload.sourceId);
  deps.pollStates?.delete(payload.sourceId);
  let source = remembered ?? (await getSource(deps.db, payload.sourceId, POLL_COLUMNS));
  if (!source) return { outcome: "skipped", reason: "source deleted" };
  // Pausing removes the schedule; a tick already queued, or a reconcile racing the pause, stops here.
  if (source.paused) return { outcome: "skipped", reason: "paused" };
  // The scheduler ticks every minute; the source's own plan says whether this tick is its turn.
  if (!payload.force && source.next_poll_at && source.next_poll_at.getTime() > now.getTime() + DUE_SLACK_MS) {
    // Still valid: the next tick's 304 can use it.
    if (remembered) deps.pollStates?.set(payload.sourceId, remembered);
    return { outcome: "skipped", reason: source.consecutive_errors > 0 ? "backing off after errors" : "not due" };
  }
  let feed: FeedReadResult;
  try {
    feed = await readFeed(
      { url: source.url, etag: source.etag, lastModified: source.last_modified },
      {
        fallbackLanguage: source.language === "auto" ? null : source.language,
        now,
        ...(deps.hostLimiter && { hostLimiter: deps.hostLimiter }),
        ...(deps.connections && { connections: deps.connections }),
        ...(deps.fileRoots && { fileRoots: deps.fileRoots }),
        ...(deps.isolate && { isolate: deps.isolate }),
      },
    );
  } catch (error) {
    if (!(error instanceof CodedError)) throw error;
    const current = remembered ? await getSource(deps.db, source.id, POLL_COLUMNS) : source;
    return current ? recordFailure(deps, current, error, now) : { outcome: "skipped", reason: "source deleted" };
  }
  if (feed.notModified) return recordNotModified(deps, source, remembered !== undefined, feed, now, payload);
  if (remembered) {
    // Storing articles needs the source as it is now (targets, full text), not as last seen.
    const current = await getSource(deps.db, source.id, POLL_COLUMNS);
    if (!current) return { outcome: "skipped", reason: "source deleted" };
    if (current.url !== source.url) return pollOnce(deps, payload);
    source = current;
  }
  await nameAfterFeed(deps, source, feed.title);
  const cacheSeconds = feed.cacheSeconds;
  const articles = distinctGuids(feed.articles);
  const fingerprint = feedFingerprint(source, articles);
  // The same items as the last complete poll stored, under the same settings: each is stored and
  // its work queued already, so storing them again (two statements an item) would change nothing.
  const { added, updated, notStored } =
    fingerprint === source.feed_fingerprint
      ? { added: 0, updated: 0, notStored: [] }
      : await storeArticles(deps, source, articles, payload.requestId);
  const pushLive = await keepPushSubscription(deps, source, feed.websub, now);
  const itemTimes = articles.map((article) => new Date(article.publishedAt));
  // Not Math.max(...times): spreading a hostile feed's 100,000 items overflows the stack.
  const newestMs = itemTimes.reduce((newest, time) => Math.max(newest, time.getTime()), Number.NEGATIVE_INFINITY);
  const newestItemAt = itemTimes.length > 0 ? new Date(newestMs) : null;
  const plan = planNextPoll({
    now,
    configuredSeconds: source.interval_seconds,
    consecutiveErrors: 0,
    medianGapSeconds: medianGapSeconds(itemTimes) ?? source.median_gap_seconds,
    newestItemAt: newestItemAt ?? source.newest_item_at,
    cacheSeconds: Math.max(cacheSeconds ?? 0, (feed.ttlMinutes ?? 0) * 60),
  });
  if (pushLive) {
    // The hub pushes what is new: polls only catch what a lost push would miss.
    plan.intervalSeconds = Math.max(plan.intervalSeconds, PUSH_SAFETY_POLL_SECONDS);
    plan.nextPollAt = new Date(Math.max(plan.nextPollAt.getTime(), now.getTime() + PUSH_SAFETY_POLL_SECONDS * 1000));
  }
  await recordPollSuccess(deps.db, source.id, {
    status: feed.status,
    etag: feed.etag,
    lastModified: feed.lastModified,
    newItems: added,
    nextPollAt: plan.nextPollAt,
    intervalSeconds: plan.intervalSeconds,
    medianGapSeconds: plan.medianGapSeconds,
    quiet: plan.quiet,
    newestItemAt: newestItemAt ?? source.newest_item_at,
    ...itemProblems(notStored, feed.itemErrors, articles.length),
    // Only a poll that stored every item vouches for them; one with an item left out tries again.
    ...(notStored.length === 0 && feed.itemErrors.length === 0 && { fingerprint }),
  });
  if (notStored.length > 0) {
    deps.logger.warn({ sourceId: source.id, notStored: notStored.length }, "feed items could not be stored");
  }
  for (const failure of feed.itemErrors) {
    deps.logger.warn({ sourceId: source.id, item: failure.item, code: failure.code }, "feed item left out");
  }
  // A feed without validators answers 200 with nothing new every tick: that is no news at info.
  const level = added + updated > 0 ? "info" : "debug";
  deps.logger[level]({ sourceId: source.id, items: articles.length, new: added, updated }, "feed polled");
  return { outcome: "fetched", items: articles.length, new: added, updated };
}

/**
 * A feed a WebSub hub pushed: the same decode → parse → normalize → store path as a polled
 * one, at once, leaving the poll's plan and validators as they are (the next poll still asks
 * the source itself). A body that is not a feed is dropped with its code, as a poll's would be.
 */
async function ingestPush(
  deps: PollDeps,
  sourceId: string,
  pushId: string,
  now: Date,
  requestId?: string,
): Promise<PollOutcome> {
  const pushed = await takePushedBody(deps.db, pushId);
  if (!pushed) return { outcome: "skipped", reason: "push already ingested" };
  const source = await getSource(deps.db, sourceId, POLL_COLUMNS);
  if (!source) return { outcome: "skipped", reason: "source deleted" };
  let read: Awaited<ReturnType<typeof readFeedBody>>;
  try {
    read = await readFeedBody(
      pushed.body,
      pushed.content_type,
      source.url,
      {
        fallbackLanguage: source.language === "auto" ? null : source.language,
        now,
        ...(deps.isolate && { isolate: deps.isolate }),
      },
      pushed.link,
    );
  } catch (error) {
    if (!(error instanceof CodedError)) throw error;
    deps.logger.warn({ sourceId, code: error.code, err: error.message }, "pushed feed could not be read");
    return { outcome: "error", code: error.code };
  }
  const articles = distinctGuids(read.articles);
  const { added, updated, notStored } = await storeArticles(deps, source, articles, requestId);
  if (notStored.length > 0 || read.itemErrors.length > 0) {
    deps.logger.warn(
      { sourceId, notStored: notStored.length, leftOut: read.itemErrors.length },
      "pushed items left out",
    );
  }
  deps.logger.info({ sourceId, items: articles.length, new: added, updated }, "pushed feed ingested");
  return { outcome: "fetched", items: articles.length, new: added, updated };
}

/**
 * What a poll's storing depends on: each item's GUID, content and language, and the source's
 * targets and full-text setting. Equal fingerprints store the same rows and queue the same jobs.
 */
function feedFingerprint(source: Pick<PolledSource, "targets" | "full_text">, articles: NormalizedArticle[]): string {
  const hash = createHash("sha256");
  hash.update(JSON.stringify([source.targets, source.full_text]));
  for (const article of articles) hash.update(`\n${article.guid}\t${article.contentHash}\t${article.language}`);
  return hash.digest("base64url");
}

async function storeArticles(
  deps: PollDeps,
  source: PolledSource,
  articles: NormalizedArticle[],
  requestId: string | undefined,
): Promise<{ added: number; updated: number; notStored: string[] }> {
  let added = 0;
  let updated = 0;
  const notStored: string[] = [];
  for (const article of articles) {
    let stored: Awaited<ReturnType<typeof storeArticle>>;
    try {
      stored = await storeArticle(deps, source, article, requestId);
    } catch (error) {
      // One item the database refuses must not keep the rest of the feed out; anything else
      // (the database gone, Redis gone) fails the poll, to be retried.
      const refused = itemRefusal(error);
      if (!refused) throw error;
      notStored.push(refused);
      continue;
    }
    if (stored === "new") added++;
    if (stored === "updated") updated++;
  }
  return { added, updated, notStored };
}

/**
 * A source added without a name is named after its URL; the feed's own title is the agency's
 * name partners should read in attribution and rights lines ("© 2024 Ukrinform: latest news",
 * not a file path). Taken from the first feed read successfully, before its articles are
 * stored, so their translations already carry it; a source an operator named is left alone.
 */
async function nameAfterFeed(deps: PollDeps, source: Pick<SourceRow, "id" | "url" | "name">, title: string) {
  const name = title.trim().slice(0, 200);
  // Named after its URL: as given, or as shown without the credentials it may carry.
  if ((source.name !== source.url && source.name !== redactUrl(source.url)) || !name) return;
  await updateSource(deps.db, source.id, { name });
  source.name = name;
  deps.logger.info({ sourceId: source.id, name }, "source named after its feed's title");
}

/**
 * Records a 304. A 304 says nothing new about the rhythm: the interval the last full read gave
 * stays. With the source remembered from this process's last poll, the write is guarded by
 * the row being as remembered; when it is not (an operator edited the source, another process
 * polled it), the row is read again, and the 304 still counts if it answered the request the
 * row would make now; else the poll starts over from the row.
 */
async function recordNotModified(
  deps: PollDeps,
  source: PolledSource,
  remembered: boolean,
  feed: { etag: string | null; lastModified: string | null; cacheSeconds: number | null },
  now: Date,
  payload: JobPayload<"poll">,
): Promise<PollOutcome> {
  const configuredSeconds = source.poll_interval_seconds ?? source.interval_seconds;
  const nextPollAt = planNextPoll({
    now,
    configuredSeconds,
    consecutiveErrors: 0,
    cacheSeconds: feed.cacheSeconds,
  }).nextPollAt;
  const etag = feed.etag ?? source.etag;
  const lastModified = feed.lastModified ?? source.last_modified;
  const recorded = await recordPollSuccess(deps.db, source.id, {
    status: 304,
    etag,
    lastModified,
    newItems: 0,
    nextPollAt,
    ...(remembered && { unchangedSince: { updatedAt: source.updated_at, nextPollAt: source.next_poll_at } }),
  });
  if (!recorded) {
    const current = await getSource(deps.db, source.id, POLL_COLUMNS);
    if (!current) return { outcome: "skipped", reason: "source deleted" };
    const sameRequest =
      current.url === source.url && current.etag === source.etag && current.last_modified === source.last_modified;
    if (!sameRequest) return pollOnce(deps, payload);
    return recordNotModified(deps, current, false, feed, now, payload);
  }
  deps.pollStates?.set(source.id, {
    ...source,
    etag,
    last_modified: lastModified,
    next_poll_at: nextPollAt,
    consecutive_errors: 0,
  });
  return { outcome: "not_modified" };
}

/**
 * Stores one article and queues what its version needs next: the article page when the feed
 * carries only a lead (then the extract job queues the rest), else the translations. Doing
 * this for unchanged articles too means a process killed between storing and enqueueing
 * loses nothing: the next poll finishes the job (job ids make the repeats no-ops).
 */
async function storeArticle(deps: PollDeps, source: PolledSource, article: NormalizedArticle, requestId?: string) {
  const stored = await upsertArticle(deps.db, source.id, article);
  // Stored for the record, but a withdrawn article is neither extracted, translated nor summarized again.
  if (stored.withdrawn) return stored.outcome;
  if (stored.outcome !== "unchanged") {
    await assignStory(deps.db, { id: stored.id, sourceId: source.id, text: article.contentText });
  }
  // A changed version's page is fetched again (the upsert cleared extracted_at).
  if (!stored.extracted && shouldFetchFullText(source.full_text, article)) {
    await deps.queues.enqueueExtract({
      articleId: stored.id,
      articleVersion: stored.version,
      ...(requestId && { requestId }),
    });
    return stored.outcome;
  }
  await queueTranslations(deps, source, { ...stored, language: article.language }, requestId);
  if (stored.outcome !== "unchanged") {
    await deps.queues.enqueueSummarize({ articleId: stored.id, articleVersion: stored.version });
  }
  return stored.outcome;
}

async function recordFailure(deps: PollDeps, source: PolledSource, error: CodedError, now: Date): Promise<PollOutcome> {
  const status = error instanceof FeedError ? error.status : null;
  const retryAfterSeconds = error instanceof FeedError ? error.retryAfterSeconds : null;
  const errors = source.consecutive_errors + 1;
  const plan = planNextPoll({
    now,
    configuredSeconds: source.poll_interval_seconds ?? source.interval_seconds,
    consecutiveErrors: errors,
    retryAfterSeconds,
  });
  await recordPollFailure(deps.db, source.id, {
    status,
    code: error.code,
    message: errorMessage(error),
    nextPollAt: plan.nextPollAt,
  });
  deps.logger.warn({ sourceId: source.id, code: error.code, err: error.message, errors }, "feed poll failed");
  return { outcome: "error", code: error.code };
}

/**
 * The SQLSTATE of an error that concerns the item itself: a data exception (class 22: a value
 * out of range, bad encoding) or a limit (class 54: a key too long for its index). Undefined
 * for anything else.
 */
function itemRefusal(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^(22|54)[0-9A-Z]{3}$/.test(code) ? code : undefined;
}

/**
 * Items of a feed that did not go in, as the source's error (codes only: the items' own text
 * stays out of what editors and logs read); nothing when every item went in.
 */
function itemProblems(notStored: string[], leftOut: ReadonlyArray<{ code: string }>, total: number) {
  if (notStored.length > 0) {
    const codes = [...new Set(notStored)].join(", ");
    const message = `${notStored.length} of ${total} items could not be stored (database errors ${codes}); the others were.`;
    return { itemError: { code: "FEED_ITEM_NOT_STORED", message } };
  }
  const first = leftOut[0];
  if (!first) return {};
  const codes = [...new Set(leftOut.map((failure) => failure.code))].join(", ");
  return {
    itemError: { code: first.code, message: `${leftOut.length} items were left out (${codes}); the others went in.` },
  };
}
