import { createToken, listTokens, type Role, revokeToken } from "@babelwire/db";
import type { FastifyInstance } from "fastify";
import type { ApiDeps } from "../../deps.ts";
import { assertTokenPartner } from "../../partners/manage-partners.ts";
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
      const expiresAt = request.body.expiresAt ? instantOf(request.body.expiresAt, "expiresAt") : null;
      if (expiresAt && expiresAt.getTime() <= Date.now()) {
        throw new ApiError(400, "invalid_request", "expiresAt must be in the future", "expiresAt");
      }
      await assertTokenPartner(deps.db, request.body.role, request.body.partnerId);
      const { token, row } = await createToken(deps.db, {
        role: request.body.role,
        partnerId: request.body.partnerId ?? null,
        label: request.body.label ?? null,
        expiresAt,
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

/** A token as the API and the CLI list it: who holds it and its life, never its secret. */
export function tokenSummary(row: {
  id: string;
  role: string;
  partner_id: string | null;
  label: string | null;
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
}) {
  return {
    id: row.id,
    role: row.role,
    partnerId: row.partner_id,
    label: row.label,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
  };
}
