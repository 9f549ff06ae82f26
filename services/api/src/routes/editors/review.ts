import { TRANSLATION_STATES, type TranslationState } from "@babelwire/core";
import { countForReview, listForReview, type Role } from "@babelwire/db";
import type { FastifyInstance } from "fastify";
import type { ApiDeps } from "../../deps.ts";
import { pageQuery, pageSchema, readPage } from "../../pagination/page.ts";
import { bearer, errors, languageTagPattern } from "../../schemas.ts";

const EDITORS: { roles: Role[] } = { roles: ["admin", "editor"] };

interface ReviewQuery {
  lang?: string;
  status?: TranslationState;
  source?: string;
  qa?: string;
  cursor?: string;
  limit?: number;
}

const reviewPageSchema = pageSchema({
  type: "object",
  additionalProperties: true,
  properties: {
    id: { type: "string" },
    articleId: { type: "string" },
    lang: { type: "string" },
    status: { type: "string" },
    version: { type: "integer" },
    title: { type: ["string", "null"], description: "the translation's title" },
    source: {
      type: "object",
      description: "the feed the article came from",
      properties: { id: { type: "string" }, name: { type: "string" }, language: { type: "string" } },
    },
    article: {
      type: "object",
      description: "the original article",
      properties: { title: { type: "string" }, language: { type: "string" } },
    },
    qa: { type: "array", items: { type: "object", additionalProperties: true } },
    engine: { type: ["string", "null"] },
    error: {
      type: ["object", "null"],
      description: "why a `failed` translation failed",
      properties: { code: { type: "string" }, message: { type: ["string", "null"] } },
    },
    waitingSeconds: { type: "integer" },
  },
});

/** The editors' queue: what waits for a person, oldest first, and how much per language. */
export async function reviewRoutes(app: FastifyInstance, deps: ApiDeps) {
  app.get<{ Querystring: ReviewQuery }>(
    "/v1/review",
    {
      config: EDITORS,
      schema: {
        tags: ["editors"],
        summary: "Translations awaiting review, oldest first, with QA flags and age",
        security: bearer,
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            lang: { type: "string", pattern: languageTagPattern },
            status: { type: "string", enum: TRANSLATION_STATES, default: "in_review" },
            source: { type: "string", format: "uuid" },
            qa: { type: "string", pattern: "^[a-z_]{1,60}$", description: "only items with this QA flag code" },
            ...pageQuery({ default: 50, maximum: 100 }),
          },
        },
        response: { 200: reviewPageSchema, ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const { lang, status = "in_review", source, qa, cursor, limit = 50 } = request.query;
      const { rows, nextCursor } = await readPage(
        { cursor, limit },
        (limit, after) => listForReview(deps.db, { lang, status, sourceId: source, qaCode: qa, limit, after }),
        (row) => ({ at: new Date(row.waitingSince), id: row.id }),
      );
      const now = Date.now();
      return {
        items: rows.map((row) => ({
          id: row.id,
          articleId: row.articleId,
          lang: row.lang,
          status: row.status,
          version: row.version,
          title: row.title,
          source: { id: row.sourceId, name: row.sourceName, language: row.sourceLanguage },
          article: { title: row.articleTitle, language: row.sourceLanguage },
          qa: row.qa,
          engine: row.engine,
          error: row.errorCode ? { code: row.errorCode, message: row.errorMessage } : null,
          waitingSeconds: Math.max(0, Math.round((now - new Date(row.waitingSince).getTime()) / 1000)),
        })),
        nextCursor,
      };
    },
  );

  app.get(
    "/v1/review/counts",
    {
      config: EDITORS,
      schema: {
        tags: ["editors"],
        summary: "Translations awaiting review, per language",
        security: bearer,
        response: {
          200: {
            type: "object",
            properties: { counts: { type: "object", additionalProperties: { type: "integer" } } },
          },
          ...errors(401, 403),
        },
      },
    },
    async () => ({ counts: await countForReview(deps.db) }),
  );
}
