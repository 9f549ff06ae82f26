import { createHash } from "node:crypto";
import { normalizeLanguageTag } from "@babelwire/core";
import { listPublished, type PublishedItem, type Role } from "@babelwire/db";
import { type FeedItem, renderRss } from "@babelwire/syndicate";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ApiDeps } from "../../deps.ts";
import { ApiError } from "../../plugins/errors.ts";
import { errors } from "../../schemas.ts";

const READERS: { roles: Role[]; tokenInQuery: boolean } = { roles: ["admin", "editor", "partner"], tokenInQuery: true };

interface FeedQuery {
  source?: string;
  category?: string;
  limit?: number;
  token?: string;
}

function toFeedItem(item: PublishedItem, deps: ApiDeps): FeedItem {
  return {
    id: item.translationId,
    link: item.articleUrl ?? `${deps.config.PUBLIC_BASE_URL}/v1/articles/${item.articleId}?lang=${item.lang}`,
    title: item.title,
    summary: item.summary,
    contentHtml: item.contentHtml,
    // Partners date a story by when the agency published it, not when its translation went out.
    publishedAt: item.articlePublishedAt,
    updatedAt: item.updatedAt,
    authors: item.authors,
    categories: item.categories,
    media: item.media,
    originalUrl: item.articleUrl,
    originalLanguage: item.articleLanguage,
    sourceName: item.sourceName,
    reviewed: item.reviewed,
  };
}

/** Sends a rendered feed with validators, or 304 when the reader already has it. */
function sendCached(request: FastifyRequest, reply: FastifyReply, body: string, lastModified: Date, type: string) {
  const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
  const modified = new Date(Math.floor(lastModified.getTime() / 1000) * 1000);
  reply
    .header("etag", etag)
    .header("last-modified", modified.toUTCString())
    .header("cache-control", "private, max-age=60");
  const ifNoneMatch = request.headers["if-none-match"];
  const ifModifiedSince = request.headers["if-modified-since"];
  const fresh = ifNoneMatch
    ? ifNoneMatch.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag)
    : ifModifiedSince !== undefined && Date.parse(ifModifiedSince) >= modified.getTime();
  if (fresh) return reply.status(304).send();
  return reply.type(type).send(body);
}

/** Partner feeds: published translations of one language, newest first. */
export async function feedRoutes(app: FastifyInstance, deps: ApiDeps) {
  app.get<{ Params: { lang: string }; Querystring: FeedQuery }>(
    "/v1/feeds/:lang.rss",
    {
      config: READERS,
      schema: {
        tags: ["partners"],
        summary: "RSS 2.0 feed of published translations in one language",
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
            limit: { type: "integer", minimum: 1, maximum: 100, default: 50 },
            token: { type: "string" },
          },
        },
        response: {
          200: { description: "RSS 2.0", content: { "application/rss+xml": { schema: { type: "string" } } } },
          304: { description: "Not modified", type: "null" },
          ...errors(400, 401, 403),
        },
      },
    },
    async (request, reply) => {
      const lang = normalizeLanguageTag(request.params.lang);
      if (!lang)
        throw new ApiError(400, "invalid_request", `'${request.params.lang}' is not a BCP 47 language tag`, "lang");
      const items = await listPublished(deps.db, {
        lang,
        sourceId: request.query.source,
        category: request.query.category,
        limit: request.query.limit ?? 50,
      });
      const generatedAt = new Date(Math.max(0, ...items.map((item) => item.updatedAt.getTime())));
      const body = renderRss({
        lang,
        selfUrl: `${deps.config.PUBLIC_BASE_URL}/v1/feeds/${lang}.rss`,
        siteUrl: deps.config.PUBLIC_BASE_URL,
        generatedAt,
        items: items.map((item) => toFeedItem(item, deps)),
      });
      return sendCached(request, reply, body, generatedAt, "application/rss+xml; charset=utf-8");
    },
  );
}
