import { listTokens, type Role, revokeToken } from "@babelwire/db";
import { issueToken, tokenSummary } from "@babelwire/operations";
import type { FastifyInstance } from "fastify";
import type { ApiDeps } from "../../deps.ts";
import { ApiError } from "../../plugins/errors.ts";
import { instantOf } from "../../plugins/input-text.ts";
import { bearer, errors, idParams } from "../../schemas.ts";

const ADMIN: { roles: Role[] } = { roles: ["admin"] };

const tokenView = {
  type: "object",
  properties: {
    id: { type: "string" },
    role: { type: "string" },
    partnerId: { type: ["string", "null"] },
    label: { type: ["string", "null"] },
    createdAt: { type: "string" },
    expiresAt: { type: ["string", "null"] },
    revokedAt: { type: ["string", "null"] },
    token: { type: "string", description: "Shown once, at creation" },
  },
} as const;

interface TokenBody {
  role: Role;
  partnerId?: string;
  label?: string;
  expiresAt?: string;
}

/** Admins issue and revoke tokens; only their hashes are stored. */
export async function tokenRoutes(app: FastifyInstance, deps: ApiDeps) {
  app.post<{ Body: TokenBody }>(
    "/v1/tokens",
    {
      config: ADMIN,
      schema: {
        tags: ["operators"],
        summary: "Create a token (shown once)",
        security: bearer,
        body: {
          type: "object",
          additionalProperties: false,
          required: ["role"],
          properties: {
            role: { type: "string", enum: ["admin", "editor", "partner"] },
            partnerId: {
              type: "string",
              format: "uuid",
              description: "Required for a partner token (an existing partner); refused for other roles",
            },
            label: { type: "string", maxLength: 200 },
            expiresAt: { type: "string", format: "date-time" },
          },
        },
        response: { 201: tokenView, ...errors(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const { token, row } = await issueToken(deps.db, {
        role: request.body.role,
        partnerId: request.body.partnerId,
        label: request.body.label,
        expiresAt: request.body.expiresAt ? instantOf(request.body.expiresAt, "expiresAt") : null,
      });
      return reply.status(201).send({ ...tokenSummary(row), token });
    },
  );

  app.get(
    "/v1/tokens",
    {
      config: ADMIN,
      schema: {
        tags: ["operators"],
        summary: "List tokens (never their secrets)",
        security: bearer,
        response: {
          200: {
            type: "object",
            properties: { items: { type: "array", items: tokenView }, nextCursor: { type: "null" } },
          },
          ...errors(401, 403),
        },
      },
    },
    async () => {
      return { items: (await listTokens(deps.db)).map(tokenSummary), nextCursor: null };
    },
  );

  app.delete<{ Params: { id: string } }>(
    "/v1/tokens/:id",
    {
      config: ADMIN,
      schema: {
        tags: ["operators"],
        summary: "Revoke a token",
        security: bearer,
        params: idParams,
        response: { 204: { type: "null" }, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      if (!(await revokeToken(deps.db, request.params.id)))
        throw new ApiError(404, "not_found", `No live token ${request.params.id}.`);
      app.tokenCache.forget(request.params.id);
      return reply.status(204).send();
    },
  );
}
