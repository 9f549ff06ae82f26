import { engineQuality, listEngineUsage, type Role } from "@babelwire/db";
import type { FastifyInstance } from "fastify";
import type { ApiDeps } from "../../deps.ts";
import { listSchema } from "../../pagination/page.ts";
import { bearer, errors, languageTagPattern } from "../../schemas.ts";

const ADMINS: { roles: Role[] } = { roles: ["admin"] };
const DAY = 86_400_000;

/** What each translation engine was sent and how often it failed, per day: what a paid one will bill. */
export async function engineUsageRoutes(app: FastifyInstance, deps: ApiDeps) {
  app.get<{ Querystring: { days?: number } }>(
    "/v1/engines/usage",
    {
      config: ADMINS,
      schema: {
        tags: ["operators"],
        summary: "Requests, characters and errors per translation engine and day (UTC)",
        security: bearer,
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: { days: { type: "integer", minimum: 1, maximum: 366, default: 30 } },
        },
        response: {
          200: listSchema({
            type: "object",
            properties: {
              engine: { type: "string" },
              day: { type: "string", format: "date" },
              requests: { type: "integer" },
              characters: { type: "integer" },
              errors: { type: "integer" },
            },
          }),
          ...errors(400, 401, 403),
        },
      },
    },
    async (request) => {
      const days = request.query.days ?? 30;
      const since = new Date(Date.now() - (days - 1) * DAY).toISOString().slice(0, 10);
      return { items: await listEngineUsage(deps.db, since) };
    },
  );
  app.get<{ Querystring: { from?: string; to?: string; since?: string } }>(
    "/v1/engines/quality",
    {
      config: ADMINS,
      schema: {
        tags: ["operators"],
        summary: "Post-editing effort per engine and language pair: which engine needs the least editing",
        description:
          "From editors' decisions (the pipeline's own approvals left out): `items` approved or rejected, " +
          "`meanEditRate` of the approvals (word-level edits ÷ words of the approved text, in the spirit " +
          "of HTER; 0 = approved as the engine wrote it), `approvedUnchanged` the share of approvals with " +
          "no edit, `rejected` how many were rejected.",
        security: bearer,
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            from: { type: "string", pattern: languageTagPattern, description: "source language (its primary subtag)" },
            to: { type: "string", pattern: languageTagPattern },
            since: { type: "string", format: "date-time", description: "only decisions from this instant on" },
          },
        },
        response: {
          200: listSchema({
            type: "object",
            properties: {
              engine: { type: "string" },
              from: { type: "string" },
              to: { type: "string" },
              items: { type: "integer" },
              approved: { type: "integer" },
              meanEditRate: { type: ["number", "null"] },
              approvedUnchanged: { type: ["number", "null"] },
              rejected: { type: "integer" },
            },
          }),
          ...errors(400, 401, 403),
        },
      },
    },
    async (request) => {
      const { from, to, since } = request.query;
      return { items: await engineQuality(deps.db, { from, to, since: since ? new Date(since) : undefined }) };
    },
  );
}
