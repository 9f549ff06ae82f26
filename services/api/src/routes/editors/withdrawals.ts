import { ensureTranslation, listPublished, type Role, reinstateArticle, withdrawArticle } from "@babelwire/db";
import { announceFeedChange } from "@babelwire/syndicate";
import type { FastifyInstance } from "fastify";
import type { ApiDeps } from "../../deps.ts";
import { actorOf } from "../../plugins/auth.ts";
import { bearer, errors, idParams } from "../../schemas.ts";

const EDITORS: { roles: Role[] } = { roles: ["admin", "editor"] };

interface WithdrawBody {
  reason: string;
}

const reasonBody = {
  type: "object",
  additionalProperties: false,
  required: ["reason"],
  properties: { reason: { type: "string", minLength: 1, maxLength: 2000 } },
} as const;

/**
 * The agency withdrew an article (a kill notice): every language version leaves the feeds at
 * once, partners that sync see it as `canceled`, and nothing queued for it is published later.
 */
export async function withdrawalRoutes(app: FastifyInstance, deps: ApiDeps) {
  /**
   * Through this process's generations, so its next feed request already sees the change, and
   * announced to the other API processes and the long polls.
   */
  const feedsChanged = async (langs: string[]) => {
    for (const lang of langs) {
      await app.feedGenerations.bump(lang);
      await announceFeedChange(deps.redis, deps.config.QUEUE_PREFIX, lang);
    }
  };
  app.post<{ Params: { id: string }; Body: WithdrawBody }>(
    "/v1/articles/:id/withdraw",
    {
      config: EDITORS,
      schema: {
        tags: ["editors"],
        summary: "Withdraw an article in every language (repeatable)",
        security: bearer,
        params: idParams,
        body: reasonBody,
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
      await feedsChanged(withdrawal.liveLanguages);
      // The publisher tells every partner that received a language version; also on a repeated
      // call, so a withdrawal a crash kept from being queued goes out now (deliveries are unique).
      const live = await listPublished(deps.db, { articleId: withdrawal.articleId, withdrawn: true, limit: 100 });
      for (const version of live) {
        await deps.queues.enqueuePublish({ translationId: version.translationId, requestId: request.id });
      }
      return { id: withdrawal.articleId, withdrawn: withdrawal.translationIds, languages: withdrawal.liveLanguages };
    },
  );

  app.post<{ Params: { id: string }; Body: WithdrawBody }>(
    "/v1/articles/:id/reinstate",
    {
      config: EDITORS,
      schema: {
        tags: ["editors"],
        summary: "Undo a withdrawal (audited)",
        description:
          "A withdrawn article stays withdrawn, in every language and output, whatever its feed item does later, until an editor reinstates it here. Each language version that was live goes live again with the text partners last had, and webhook partners get `published` again; versions never published, and a newer version of the article that arrived meanwhile, are translated and reviewed as usual. 409 `not_withdrawn` when the article is not withdrawn.",
        security: bearer,
        params: idParams,
        body: reasonBody,
        response: {
          200: {
            type: "object",
            properties: {
              id: { type: "string" },
              republished: { type: "array", items: { type: "string" }, description: "translations live again" },
              requeued: { type: "array", items: { type: "string" }, description: "translations sent to the engine" },
            },
          },
          ...errors(400, 401, 403, 404, 409),
        },
      },
    },
    async (request) => {
      const reinstated = await reinstateArticle(deps.db, request.params.id, {
        actor: actorOf(request),
        reason: request.body.reason,
      });
      await feedsChanged(reinstated.republished.map((row) => row.lang));
      for (const { id } of reinstated.republished) {
        await deps.queues.enqueuePublish({ translationId: id, requestId: request.id });
      }
      // Every language version catches up with the article's current version (a no-op when it has).
      for (const { lang } of [...reinstated.republished, ...reinstated.requeued]) {
        const row = await ensureTranslation(deps.db, reinstated.articleId, lang, reinstated.articleVersion);
        if (row.status !== "queued") continue;
        await deps.queues.enqueueTranslate({
          articleId: reinstated.articleId,
          articleVersion: row.article_version,
          lang,
          requestId: request.id,
        });
      }
      return {
        id: reinstated.articleId,
        republished: reinstated.republished.map((row) => row.id),
        requeued: reinstated.requeued.map((row) => row.id),
      };
    },
  );
}
