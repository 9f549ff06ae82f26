import { normalizeLanguageTag } from "@babelwire/core";
import {
  type FeedFilter,
  listPublished,
  listPublishedVersions,
  type PublishedItem,
  type PublishedVersion,
  type Role,
} from "@babelwire/db";
import { groupVersionsByArticle, liveNinjs } from "@babelwire/syndicate";
import type { FastifyInstance } from "fastify";
import type { ApiDeps } from "../../deps.ts";
import { assertEntitledTo, type Licence, readScope } from "../../entitlements/licence.ts";
import { sendWithValidators } from "../../feed-cache/not-modified.ts";
import { type RenderedFeed, renderedFeed } from "../../feed-cache/rendered-feed.ts";
import { ApiError } from "../../plugins/errors.ts";
import { instantOf } from "../../plugins/input-text.ts";
import { bearer, errors, idParams, ninjsItemSchema, ninjsTranslationLinks } from "../../schemas.ts";
import { type ChangeListener, createChangeListener } from "../../sync/change-listener.ts";

const READERS: { roles: Role[] } = { roles: ["admin", "editor", "partner"] };
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;
/** More language versions than one article will ever have; the query reads them all at once. */
const MAX_VERSIONS = 100;
/** The longest a sync request is held open: under the idle timeouts of common proxies (60 s). */
const MAX_WAIT_SECONDS = 30;
/**
 * When a held request reads after a change is announced, in ms: at once, and again while a
 * transaction begun before the change's own may still hold it back (ChangePosition).
 */
const REREADS_MS = [0, 250, 1000, 3000];

interface ChangesQuery {
  lang: string;
  since?: string;
  cursor?: string;
  limit?: number;
  wait?: number;
  dedupe?: "story";
}

type Position = NonNullable<FeedFilter["after"]>;

/** Partner reads as IPTC ninjs: one language version of an article, and every change page by page. */
export async function articleRoutes(app: FastifyInstance, deps: ApiDeps) {
  const changes = createChangeListener({
    redis: deps.redis,
    prefix: deps.config.QUEUE_PREFIX,
    rereadsMs: REREADS_MS,
    onError: (error) =>
      deps.logger.warn({ err: error }, "feed change subscription failed; long polls wait to their deadline"),
  });
  // Held requests answer with what they have, so closing the server does not wait out their deadlines.
  app.addHook("preClose", () => changes.close());
  app.get<{ Params: { id: string }; Querystring: { lang: string } }>(
    "/v1/articles/:id",
    { config: READERS, schema: articleSchema },
    async (request, reply) => {
      const lang = languageOf(request.query.lang);
      const licence = request.principal?.licence;
      readScope(licence, lang);
      return sendWithValidators(request, reply, await readArticle(deps, request.params.id, lang, licence), JSON_READ);
    },
  );
  app.get<{ Querystring: ChangesQuery }>(
    "/v1/articles",
    { config: READERS, schema: changesSchema },
    async (request, reply) => {
      const lang = languageOf(request.query.lang);
      const sourceIds = readScope(request.principal?.licence, lang);
      const read = () => readChanges(deps, lang, request.query, sourceIds);
      const { wait = 0 } = request.query;
      const page = wait > 0 ? await longPoll(deps, changes, lang, wait, read, reply.raw) : await read();
      return sendWithValidators(request, reply, page.feed, JSON_READ);
    },
  );
}

/**
 * One language version as ninjs, linked to the article's other live languages. An item of a
 * source outside a partner's licence is 403 `not_entitled`, like a language outside it: the
 * partner learns why, and an article id tells nothing a feed did not already show.
 */
async function readArticle(
  deps: ApiDeps,
  articleId: string,
  lang: string,
  licence: Licence | null | undefined,
): Promise<RenderedFeed> {
  // Every live language version of the article at once: the one asked for and those it links to.
  const rows = await listPublished(deps.db, { articleId, withdrawn: true, limit: MAX_VERSIONS });
  const row = rows.find((candidate) => candidate.lang === lang);
  if (!row) throw new ApiError(404, "not_found", `Article ${articleId} has no published version in ${lang}.`);
  assertEntitledTo(licence, row);
  const live = rows.filter((other) => other.status !== "withdrawn").map(versionOf);
  const item = liveNinjs(row, groupVersionsByArticle(live), deps.config.PUBLIC_BASE_URL);
  // Another language published or withdrawn changes this item's links, so it counts as a change here.
  const lastModified = new Date(Math.max(...rows.map((other) => other.updatedAt.getTime())));
  return renderedFeed(JSON.stringify(item), lastModified);
}

/**
 * A sync read held open until the page has items, a change wakes it or `wait` seconds pass;
 * then it answers with what it read last (at the deadline, the empty page with the cursor).
 * The watch starts before the first read, so a change committed in between is not missed.
 */
async function longPoll(
  deps: ApiDeps,
  changes: ChangeListener,
  lang: string,
  wait: number,
  read: () => Promise<ChangesPage>,
  connection: NodeJS.EventEmitter,
): Promise<ChangesPage> {
  const watch = changes.watch(lang);
  const hungUp = () => watch.cancel();
  connection.once("close", hungUp);
  try {
    let page = await read();
    if (page.count > 0) {
      deps.metrics.countSyncWait("immediate");
      return page;
    }
    const deadline = Date.now() + wait * 1000;
    deps.metrics.addSyncWaiting(1);
    try {
      for (;;) {
        const reason = await watch.next(deadline);
        page = await read();
        if (page.count > 0 || reason === "deadline" || reason === "closing") {
          // `changed`: an announcement woke it; `settled`: a change made just before it came did.
          deps.metrics.countSyncWait(
            page.count > 0 && reason !== "deadline" && reason !== "closing" ? reason : "timeout",
          );
          return page;
        }
      }
    } finally {
      deps.metrics.addSyncWaiting(-1);
    }
  } finally {
    connection.off("close", hungUp);
    watch.close();
  }
}

interface ChangesPage {
  feed: RenderedFeed;
  /** Items on the page: none means the reader is up to date. */
  count: number;
}

/** One page of changes in a language (of the licensed sources only), oldest first, and the cursor to go on from. */
async function readChanges(
  deps: ApiDeps,
  lang: string,
  query: ChangesQuery,
  sourceIds: readonly string[] | undefined,
): Promise<ChangesPage> {
  const { since, cursor, limit = DEFAULT_LIMIT } = query;
  const rows = await listPublished(deps.db, {
    lang,
    sourceIds,
    withdrawn: true,
    order: "changes",
    after: cursor === undefined ? undefined : decodeCursor(cursor),
    since: since === undefined ? undefined : instantOf(since, "since"),
    dedupeStory: query.dedupe === "story",
    limit: limit + 1,
  });
  const page = rows.slice(0, limit);
  const versions = groupVersionsByArticle(
    await listPublishedVersions(
      deps.db,
      page.map((row) => row.articleId),
    ),
  );
  const last = page.at(-1);
  const body = {
    items: page.map((row) => liveNinjs(row, versions, deps.config.PUBLIC_BASE_URL)),
    // Where the reader is now: kept and sent again, it also brings what changed after this page.
    nextCursor: last
      ? encodeCursor({ changeXid: last.changeXid, updatedAtMicros: last.updatedAtMicros, id: last.translationId })
      : (cursor ?? null),
    hasMore: rows.length > limit,
  };
  const lastModified = new Date(Math.max(0, ...page.map((row) => row.updatedAt.getTime())));
  return { feed: renderedFeed(JSON.stringify(body), lastModified), count: page.length };
}

function languageOf(raw: string): string {
  const lang = normalizeLanguageTag(raw);
  if (!lang) throw new ApiError(400, "invalid_request", `'${raw}' is not a BCP 47 language tag`, "lang");
  return lang;
}

function versionOf(row: PublishedItem): PublishedVersion {
  return { articleId: row.articleId, lang: row.lang, translationId: row.translationId };
}

/** An opaque place in the change order: base64url of the last item's ChangePosition. */
function encodeCursor(position: Position): string {
  const { changeXid, updatedAtMicros, id } = position;
  return Buffer.from(JSON.stringify([changeXid, updatedAtMicros, id])).toString("base64url");
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function decodeCursor(cursor: string): Position {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    decoded = undefined;
  }
  // Cursors given out before the order had transaction ids ([live_at, id]) go on where they
  // were: every change of that time has the id 0.
  const parts: unknown[] = Array.isArray(decoded) ? (decoded.length === 2 ? ["0", ...decoded] : decoded) : [];
  const [changeXid, updatedAtMicros, id] = parts;
  if (
    parts.length === 3 &&
    typeof changeXid === "string" &&
    /^\d{1,19}$/.test(changeXid) &&
    typeof updatedAtMicros === "string" &&
    /^\d{1,17}$/.test(updatedAtMicros) &&
    typeof id === "string" &&
    UUID.test(id)
  ) {
    return { changeXid, updatedAtMicros, id };
  }
  throw new ApiError(400, "invalid_request", "cursor is not one this API gave out", "cursor");
}

/** Article reads revalidate every time: a correction must reach a syncing partner at once. */
const JSON_READ = { type: "application/json; charset=utf-8", cacheControl: "private, no-cache" };

const ENTITLEMENT_NOTE =
  "A partner token reads only its licensed languages (403 `not_entitled` otherwise) and is rate-limited (429 `rate_limited` with `Retry-After`).";

const langQuery = {
  type: "string",
  maxLength: 35,
  description: "BCP 47 tag of the language version, such as es",
} as const;

const articleSchema = {
  tags: ["partners"],
  summary: "One language version of an article as IPTC ninjs 2.2",
  description: `The published translation of the article in \`lang\`, or \`pubstatus: canceled\` without its text once withdrawn. ${ENTITLEMENT_NOTE} An item of a source outside the licence is 403 \`not_entitled\` too. Sends \`ETag\` and \`Last-Modified\` and answers 304 to a matching \`If-None-Match\` or \`If-Modified-Since\`.\n\n${ninjsTranslationLinks}`,
  security: bearer,
  params: idParams,
  // Unknown parameters (a cache-buster such as `_=123`) are ignored, as feed APIs do.
  querystring: {
    type: "object",
    properties: { lang: langQuery },
    required: ["lang"],
  },
  response: {
    200: ninjsItemSchema,
    304: { description: "Not modified", type: "null" },
    ...errors(400, 401, 403, 404, 429),
  },
};

const changesSchema = {
  tags: ["partners"],
  summary: "Every change in one language as IPTC ninjs 2.2, oldest first, for partners that sync",
  description: `Publications, corrections and withdrawals (\`pubstatus: canceled\`) in the order they happened, oldest first. ${ENTITLEMENT_NOTE} Pages hold only items of the licensed sources. Follow \`nextCursor\` while \`hasMore\` is true; keep the last \`nextCursor\` and send it again later to get what changed since. Pages never skip or repeat an item, even while items are being published: a change is in the order as soon as it is committed, unless a transaction begun before it is still running (then once that has ended). An item changed again after you read it comes again, with a higher \`version\`. \`since\` starts from a point in time instead of a cursor.\n\n**Long poll:** with \`wait=N\` (1–${MAX_WAIT_SECONDS} seconds) a request that finds nothing new is held open until a change reaches the page (on any API process: changes are announced through Redis) or N seconds pass, and then answers with the empty page and the cursor to send again. With items already waiting it answers at once.\n\n${ninjsTranslationLinks}`,
  security: bearer,
  querystring: {
    type: "object",
    properties: {
      lang: langQuery,
      since: { type: "string", format: "date-time", description: "Only changes after this instant (ISO 8601)" },
      cursor: { type: "string", maxLength: 500, description: "`nextCursor` of the previous page, as given" },
      limit: { type: "integer", minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT },
      wait: {
        type: "integer",
        minimum: 0,
        maximum: MAX_WAIT_SECONDS,
        default: 0,
        description: "Seconds to hold the request open when nothing has changed (long poll); 0 answers at once",
      },
      dedupe: {
        type: "string",
        enum: ["story"],
        description: "`story`: only the first item of each story (the same wire copy through several sources)",
      },
    },
    required: ["lang"],
  },
  response: {
    200: {
      type: "object",
      properties: {
        items: { type: "array", items: ninjsItemSchema },
        nextCursor: {
          type: "string",
          nullable: true,
          description: "Where the next page starts; null only when nothing has been read yet",
        },
        hasMore: { type: "boolean", description: "Whether the next page already has items" },
      },
      required: ["items", "nextCursor", "hasMore"],
    },
    304: { description: "Not modified", type: "null" },
    ...errors(400, 401, 403, 429),
  },
};
