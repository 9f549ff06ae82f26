import { normalizeLanguageTag } from "@babelwire/core";
import { listPublished, listPublishedVersions, type Role } from "@babelwire/db";
import {
  type FeedDocument,
  type FeedFormat,
  type FeedKeyParts,
  groupVersionsByArticle,
  liveFeedItem,
  renderAtom,
  renderJsonFeed,
  renderRss,
} from "@babelwire/syndicate";
import type { FastifyInstance, FastifySchema } from "fastify";
import type { ApiDeps } from "../../deps.ts";
import { readScope } from "../../entitlements/licence.ts";
import { createFeedCache } from "../../feed-cache/feed-cache.ts";
import { sendWithValidators } from "../../feed-cache/not-modified.ts";
import { ApiError } from "../../plugins/errors.ts";
import { errors } from "../../schemas.ts";

const READERS: { roles: Role[]; tokenInQuery: boolean } = { roles: ["admin", "editor", "partner"], tokenInQuery: true };
const DEFAULT_LIMIT = 50;

interface FormatSpec {
  format: FeedFormat;
  title: string;
  mediaType: string;
  render: (feed: FeedDocument) => string;
}

const FORMATS: FormatSpec[] = [
  { format: "rss", title: "RSS 2.0", mediaType: "application/rss+xml", render: renderRss },
  { format: "atom", title: "Atom 1.0", mediaType: "application/atom+xml", render: renderAtom },
  { format: "json", title: "JSON Feed 1.1", mediaType: "application/feed+json", render: renderJsonFeed },
];

interface FeedQuery {
  source?: string;
  category?: string;
  limit?: number;
  dedupe?: "story";
  token?: string;
}

function routeSchema(spec: FormatSpec): FastifySchema {
  return {
    tags: ["partners"],
    summary: `${spec.title} feed of published translations in one language`,
    description:
      "Newest first; cached until the next publication in the language. Answers 304 to a matching validator. A partner token reads only its licensed languages (403 `not_entitled` otherwise) and sees only items of its licensed sources; a `source` filter outside them is 403 `not_entitled`. Partner tokens are rate-limited (429 `rate_limited` with `Retry-After`).",
    security: [{ bearer: [] }, { queryToken: [] }],
    params: {
      type: "object",
      properties: { lang: { type: "string", description: "BCP 47 tag, such as es" } },
      required: ["lang"],
    },
    querystring: {
      type: "object",
      properties: {
        source: { type: "string", format: "uuid" },
        category: { type: "string", maxLength: 200, description: "Matched without regard to case" },
        dedupe: {
          type: "string",
          enum: ["story"],
          description: "`story`: only the first item of each story (the same wire copy through several sources)",
        },
        limit: { type: "integer", minimum: 1, maximum: 100, default: DEFAULT_LIMIT },
        token: { type: "string" },
      },
    },
    response: {
      200: { description: spec.title, content: { [spec.mediaType]: { schema: { type: "string" } } } },
      304: { description: "Not modified", type: "null" },
      ...errors(400, 401, 403, 429),
    },
  };
}

/** Partner feeds, one route per format: published translations of one language, newest first. */
export async function feedRoutes(app: FastifyInstance, deps: ApiDeps) {
  const cache = createFeedCache({
    redis: deps.redis,
    prefix: deps.config.QUEUE_PREFIX,
    onError: (error) => deps.logger.warn({ err: error }, "feed cache unavailable; serving uncached"),
  });
  for (const spec of FORMATS) {
    app.get<{ Params: { lang: string }; Querystring: FeedQuery }>(
      `/v1/feeds/:lang.${spec.format}`,
      { config: READERS, schema: routeSchema(spec) },
      async (request, reply) => {
        // The body depends on the language, the filters and a partner's licensed sources, never on who
        // else asks: every reader of all sources shares one entry, partners of one source set another.
        const parts = feedParts(spec.format, request.params.lang, request.query);
        parts.sources = readScope(request.principal?.licence, parts.lang, parts.source);
        const feed = await cache.get(parts, () => renderFeed(deps, parts, spec.render));
        return sendWithValidators(request, reply, feed, {
          type: `${spec.mediaType}; charset=utf-8`,
          cacheControl: "private, max-age=60",
        });
      },
    );
  }
}

function feedParts(format: FeedFormat, rawLang: string, query: FeedQuery): FeedKeyParts {
  const lang = normalizeLanguageTag(rawLang);
  if (!lang) throw new ApiError(400, "invalid_request", `'${rawLang}' is not a BCP 47 language tag`, "lang");
  // An empty category filters nothing, so it must not make a cache entry of its own.
  return {
    lang,
    format,
    source: query.source,
    // Categories match without regard to case, so `Politics` and `politics` share one entry.
    category: query.category?.toLowerCase() || undefined,
    limit: query.limit ?? DEFAULT_LIMIT,
    dedupeStory: query.dedupe === "story" || undefined,
  };
}

async function renderFeed(deps: ApiDeps, parts: FeedKeyParts, render: FormatSpec["render"]) {
  const items = await listPublished(deps.db, {
    lang: parts.lang,
    sourceId: parts.source,
    sourceIds: parts.sources,
    category: parts.category,
    dedupeStory: parts.dedupeStory,
    limit: parts.limit,
  });
  const articleIds = items.map((item) => item.articleId);
  const versions = groupVersionsByArticle(await listPublishedVersions(deps.db, articleIds));
  // An empty feed was last built now, not in 1970: readers show that date and some drop the feed for it.
  const lastModified =
    items.length > 0 ? new Date(Math.max(...items.map((item) => item.updatedAt.getTime()))) : new Date();
  const body = render({
    lang: parts.lang,
    selfUrl: selfUrl(deps.config.PUBLIC_BASE_URL, parts),
    siteUrl: deps.config.PUBLIC_SITE_URL,
    generatedAt: lastModified,
    items: items.map((item) => liveFeedItem(item, versions, deps.config.PUBLIC_BASE_URL)),
  });
  return { body, lastModified };
}

/** The feed's own URL with its filters, never the token a reader may have put in the query. */
function selfUrl(base: string, parts: FeedKeyParts): string {
  const query = new URLSearchParams();
  if (parts.source) query.set("source", parts.source);
  if (parts.category) query.set("category", parts.category);
  if (parts.limit !== DEFAULT_LIMIT) query.set("limit", String(parts.limit));
  if (parts.dedupeStory) query.set("dedupe", "story");
  const search = query.size > 0 ? `?${query}` : "";
  return `${base}/v1/feeds/${parts.lang}.${parts.format}${search}`;
}
