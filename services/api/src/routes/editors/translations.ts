import {
  type Db,
  getArticle,
  getTranslation,
  listTranslationEvents,
  type Role,
  type TranslationRow,
  transitionTranslation,
} from "@babelwire/db";
import type { FastifyInstance } from "fastify";
import type { ApiDeps } from "../../deps.ts";
import { actorOf } from "../../plugins/auth.ts";
import { ApiError } from "../../plugins/errors.ts";
import { bearer, errors, idParams } from "../../schemas.ts";

const EDITORS: { roles: Role[] } = { roles: ["admin", "editor"] };

const translationSchema = {
  type: "object",
  additionalProperties: true,
  properties: {
    id: { type: "string" },
    articleId: { type: "string" },
    lang: { type: "string" },
    status: { type: "string" },
    version: { type: "integer" },
    title: { type: ["string", "null"] },
    summary: { type: ["string", "null"] },
    segments: {
      type: "array",
      items: {
        type: "object",
        properties: { id: { type: "string" }, source: { type: "string" }, target: { type: "string" } },
      },
    },
    qa: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: true,
        properties: { code: { type: "string" }, message: { type: "string" } },
      },
    },
    engine: { type: ["string", "null"] },
    history: { type: "array", items: { type: "object", additionalProperties: true } },
  },
} as const;

async function translationView(db: Db, row: TranslationRow) {
  const [article, events] = await Promise.all([getArticle(db, row.article_id), listTranslationEvents(db, row.id)]);
  return {
    id: row.id,
    articleId: row.article_id,
    lang: row.lang,
    status: row.status,
    version: row.version,
    articleVersion: row.article_version,
    title: row.title,
    summary: row.summary,
    source: article && { title: article.title, summary: article.summary, language: article.language, url: article.url },
    segments: row.segments,
    qa: row.qa,
    engine: row.engine,
    error: row.error_code ? { code: row.error_code, message: row.error_message } : null,
    publishedAt: row.published_at?.toISOString() ?? null,
    history: events.map((event) => ({
      at: event.at.toISOString(),
      actor: event.actor,
      action: event.action,
      from: event.from_status,
      to: event.to_status,
    })),
  };
}

/** Editors read a translation beside its source and approve it for publishing. */
export async function translationRoutes(app: FastifyInstance, deps: ApiDeps) {
  app.get<{ Params: { id: string } }>(
    "/v1/translations/:id",
    {
      config: EDITORS,
      schema: {
        tags: ["editors"],
        summary: "A translation beside its source, with QA flags and history",
        security: bearer,
        params: idParams,
        response: { 200: translationSchema, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const row = await getTranslation(deps.db, request.params.id);
      if (!row) throw new ApiError(404, "not_found", `No translation ${request.params.id}.`);
      reply.header("etag", `"${row.version}"`);
      return translationView(deps.db, row);
    },
  );

  app.post<{ Params: { id: string } }>(
    "/v1/translations/:id/approve",
    {
      config: EDITORS,
      schema: {
        tags: ["editors"],
        summary: "Approve and publish a translation",
        security: bearer,
        params: idParams,
        response: { 200: translationSchema, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const row = await transitionTranslation(deps.db, request.params.id, "approve", { actor: actorOf(request) });
      await deps.queues.enqueuePublish({ translationId: row.id, requestId: request.id });
      reply.header("etag", `"${row.version}"`);
      return translationView(deps.db, row);
    },
  );
}
