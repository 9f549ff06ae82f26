import { listPublished, type Role, withdrawArticle } from "@babelwire/db";
import { announceFeedChange, invalidateFeeds } from "@babelwire/syndicate";
import type { FastifyInstance } from "fastify";
import type { ApiDeps } from "../../deps.ts";
import { actorOf } from "../../plugins/auth.ts";
import { bearer, errors, idParams } from "../../schemas.ts";

const EDITORS: { roles: Role[] } = { roles: ["admin", "editor"] };

interface WithdrawBody {
  reason: string;
}

/**
 * The agency withdrew an article (a kill notice): every language version leaves the feeds at
 * once, partners that sync see it as `canceled`, and nothing queued for it is published later.
 */
export async function withdrawalRoutes(app: FastifyInstance, deps: ApiDeps) {
  app.post<{ Params: { id: string }; Body: WithdrawBody }>(
    "/v1/articles/:id/withdraw",
    {
      config: EDITORS,
      schema: {
        tags: ["editors"],
        summary: "Withdraw an article in every language (repeatable)",
        security: bearer,
        params: idParams,
        body: {
          type: "object",
          additionalProperties: false,
          required: ["reason"],
          properties: { reason: { type: "string", minLength: 1, maxLength: 2000 } },
        },
        response: {
          200: {
            type: "object",
            properties: {
              id: { type: "string" },
              withdrawn: { type: "array", items: { type: "string" }, description: "translations withdrawn now" },
              languages: { type: "array", items: { type: "string" }, description: "languages it was live in" },
            },
          },
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (request) => {
      const withdrawal = await withdrawArticle(deps.db, request.params.id, {
        actor: actorOf(request),
        reason: request.body.reason,
      });
      for (const lang of withdrawal.liveLanguages) {
        await invalidateFeeds(deps.redis, deps.config.QUEUE_PREFIX, lang);
        await announceFeedChange(deps.redis, deps.config.QUEUE_PREFIX, lang);
      }
      // The publisher tells every partner that received a language version; also on a repeated
      // call, so a withdrawal a crash kept from being queued goes out now (deliveries are unique).
      const live = await listPublished(deps.db, { articleId: withdrawal.articleId, withdrawn: true, limit: 100 });
      for (const version of live) {
        await deps.queues.enqueuePublish({ translationId: version.translationId, requestId: request.id });
      }
      return { id: withdrawal.articleId, withdrawn: withdrawal.translationIds, languages: withdrawal.liveLanguages };
    },
  );
}
