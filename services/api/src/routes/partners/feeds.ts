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
import { sendCachedFeed } from "../../feed-cache/not-modified.ts";
import { ApiError } from "../../plugins/errors.ts";
import { errors } from "../../schemas.ts";

export const READERS: { roles: Role[]; tokenInQuery: boolean } = {
  roles: ["admin", "editor", "partner"],
  tokenInQuery: true,
};
export const DEFAULT_LIMIT = 50;
export const CACHE_CONTROL = "private, max-age=60";

export interface FormatSpec {
  format: FeedFormat;
  title: string;
  mediaType: string;
  render: (feed: FeedDocument) => string;
}

export const FORMATS: FormatSpec[] = [
  { format: "rss", title: "RSS 2.0", mediaType: "application/rss+xml", render: renderRss },
  { format: "atom", title: "Atom 1.0", mediaType: "application/atom+xml", render: renderAtom },
  { format: "json", title: "JSON Feed 1.1", mediaType: "application/feed+json", render: renderJsonFeed },
];

export interface FeedQuery {
  source?: string;
  category?: string;
  limit?: number;
  token?: string;
}

function routeSchema(spec: FormatSpec): FastifySchema {
  return {
    tags: ["partners"],
    summary: `${spec.title} feed of published translations in one language`,
    description:
      "Newest first; cached until the next publication in the language. Answers 304 to a matching validator. A partner token reads only its licensed languages (403 `not_entitled` otherwise) and sees only items of its licensed sources; a `source` filter outside them is 403 `not_entitled`. Partner tokens are rate-limited (429 `rate_limited` with `Retry-After`). Sent `br` or `gzip` when `Accept-Encoding` asks (`Vary: Accept-Encoding`).",
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
        category: { type: "string", maxLength: 200 },
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
        const feed = await cache.get(parts, () => renderFeed(deps, parts, spec.render));
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
    category: query.category || undefined,
    limit: query.limit ?? DEFAULT_LIMIT,
  };
}

async function renderFeed(deps: ApiDeps, parts: FeedKeyParts, render: FormatSpec["render"]) {
  const items = await listPublished(deps.db, {
    lang: parts.lang,
    sourceId: parts.source,
    sourceIds: parts.sources,
    category: parts.category,
    limit: parts.limit,
  });
  const articleIds = items.map((item) => item.articleId);
  const versions = groupVersionsByArticle(await listPublishedVersions(deps.db, articleIds));
  // A source's rename or new terms change its items as much as a new translation does.
  const lastModified = new Date(
    Math.max(0, ...items.map((item) => Math.max(item.updatedAt.getTime(), item.sourceUpdatedAt.getTime()))),
  );
  const body = render({
    lang: parts.lang,
    selfUrl: selfUrl(deps.config.PUBLIC_BASE_URL, parts),
    siteUrl: deps.config.PUBLIC_BASE_URL,
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
  const search = query.size > 0 ? `?${query}` : "";
  return `${base}/v1/feeds/${parts.lang}.${parts.format}${search}`;
}

export function contentType(spec: FormatSpec): string {
  return `${spec.mediaType}; charset=utf-8`;
}
