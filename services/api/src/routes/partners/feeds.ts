import { normalizeLanguageTag } from "@babelwire/core";
import { listPublished, listPublishedVersions, type Role } from "@babelwire/db";
import {
  DEFAULT_FEED_LIMIT,
  FEED_FORMATS,
  type FeedFormat,
  type FeedFormatSpec,
  type FeedKeyParts,
  feedLinkHeader,
  renderPartnerFeed,
  websubHubUrl,
} from "@babelwire/syndicate";
import type { FastifyInstance, FastifySchema } from "fastify";
import type { ApiDeps } from "../../deps.ts";
import { readScope } from "../../entitlements/licence.ts";
import { sendCachedFeed } from "../../feed-cache/not-modified.ts";
import { ApiError } from "../../plugins/errors.ts";
import { errors } from "../../schemas.ts";

export const READERS: { roles: Role[]; tokenInQuery: boolean } = {
  roles: ["admin", "editor", "partner"],
  tokenInQuery: true,
};
export const DEFAULT_LIMIT = DEFAULT_FEED_LIMIT;
export const CACHE_CONTROL = "private, max-age=60";

export type FormatSpec = FeedFormatSpec;
export const FORMATS = FEED_FORMATS;

export interface FeedQuery {
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
      'Newest first; cached until the next publication in the language. Sends `Link: <hub>; rel="hub", <this URL>; rel="self"`: subscribe to that self URL (with `?token=`) at the WebSub hub `POST /websub/hub` to have new content pushed. Answers 304 to a matching validator. A partner token reads only its licensed languages (403 `not_entitled` otherwise) and sees only items of its licensed sources; a `source` filter outside them is 403 `not_entitled`. Partner tokens are rate-limited (429 `rate_limited` with `Retry-After`). Sent `br` or `gzip` when `Accept-Encoding` asks (`Vary: Accept-Encoding`).',
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
  const cache = app.feedCache;
  const languageTag = tagNormalizer();
  const hub = websubHubUrl(deps.config.PUBLIC_BASE_URL);
  for (const spec of FORMATS) {
    app.get<{ Params: { lang: string }; Querystring: FeedQuery }>(
      `/v1/feeds/:lang.${spec.format}`,
      // Compressed once per rendering by sendCachedFeed, never per request by @fastify/compress.
      { config: READERS, schema: routeSchema(spec), compress: false },
      async (request, reply) => {
        // The body depends on the language, the filters and a partner's licensed sources, never on who
        // else asks: every reader of all sources shares one entry, partners of one source set another.
        const parts = feedParts(languageTag, spec.format, request.params.lang, request.query);
        parts.sources = readScope(request.principal?.licence, parts.lang, parts.source);
        const feed = await cache.get(parts, () => renderFeed(deps, parts));
        // The URL as asked, token included: it is the WebSub topic that carries the reader's licence.
        reply.header("link", feedLinkHeader(hub, `${deps.config.PUBLIC_BASE_URL}${request.url}`));
        return sendCachedFeed(request, reply, feed, {
          type: contentType(spec),
          cacheControl: CACHE_CONTROL,
        });
      },
    );
  }
}

const KNOWN_TAGS = 1000;

/** Tags as readers spell them, normalized once: normalizing showed in the cached feed's CPU profile. */
export function tagNormalizer(): (raw: string) => string | undefined {
  const known = new Map<string, string | undefined>();
  return (raw) => {
    if (known.has(raw)) return known.get(raw);
    const tag = normalizeLanguageTag(raw);
    if (known.size >= KNOWN_TAGS) known.clear();
    known.set(raw, tag);
    return tag;
  };
}

export function feedParts(
  languageTag: (raw: string) => string | undefined,
  format: FeedFormat,
  rawLang: string,
  query: FeedQuery,
): FeedKeyParts {
  const lang = languageTag(rawLang);
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

async function renderFeed(deps: ApiDeps, parts: FeedKeyParts) {
  const items = await listPublished(deps.db, {
    lang: parts.lang,
    sourceId: parts.source,
    sourceIds: parts.sources,
    category: parts.category,
    dedupeStory: parts.dedupeStory,
    limit: parts.limit,
  });
  const versions = await listPublishedVersions(
    deps.db,
    items.map((item) => item.articleId),
  );
  return renderPartnerFeed(parts, items, versions, deps.config.PUBLIC_BASE_URL, deps.config.PUBLIC_SITE_URL);
}

export function contentType(spec: FormatSpec): string {
  return `${spec.mediaType}; charset=utf-8`;
}
