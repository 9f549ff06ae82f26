import { listAudit, type Role } from "@babelwire/db";
import type { FastifyInstance } from "fastify";
import type { ApiDeps } from "../../deps.ts";
import { pageQuery, pageSchema, readPage } from "../../pagination/page.ts";
import { bearer, errors } from "../../schemas.ts";

const ADMINS: { roles: Role[] } = { roles: ["admin"] };

interface AuditQuery {
  actor?: string;
  cursor?: string;
  limit?: number;
}

/** The audit trail of writes, newest first, for admins. */
export async function auditRoutes(app: FastifyInstance, deps: ApiDeps) {
  app.get<{ Querystring: AuditQuery }>(
    "/v1/audit",
    {
      config: ADMINS,
      schema: {
        tags: ["operators"],
        summary: "Every write through the API, newest first",
        security: bearer,
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            actor: { type: "string", maxLength: 100, description: "such as token:<id>" },
            ...pageQuery({ default: 50, maximum: 200 }),
          },
        },
        response: {
          200: pageSchema({
            type: "object",
            properties: {
              id: { type: "string" },
              at: { type: "string", format: "date-time" },
              actor: { type: "string" },
              role: { type: ["string", "null"] },
              method: { type: "string" },
              route: { type: "string" },
              target: { type: ["string", "null"] },
              status: { type: "integer" },
              requestId: { type: ["string", "null"] },
            },
          }),
          ...errors(400, 401, 403),
        },
      },
    },
    async (request) => {
      const { actor, cursor, limit = 50 } = request.query;
      const { rows, nextCursor } = await readPage(
        { cursor, limit },
        (limit, before) => listAudit(deps.db, { limit, actor, before }),
        (row) => ({ at: row.at, id: row.id }),
      );
      return {
        items: rows.map((row) => ({
          id: row.id,
          at: row.at.toISOString(),
          actor: row.actor,
          role: row.role,
          method: row.method,
          route: row.route,
          target: row.target,
          status: row.status,
          requestId: row.request_id,
        })),
        nextCursor,
      };
    },
  );
}
