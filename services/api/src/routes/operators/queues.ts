import type { Role } from "@babelwire/db";
import type { FastifyInstance } from "fastify";
import type { ApiDeps } from "../../deps.ts";
import { bearer, errors } from "../../schemas.ts";

const ADMIN: { roles: Role[] } = { roles: ["admin"] };

export async function queueRoutes(app: FastifyInstance, deps: ApiDeps) {
  app.get(
    "/v1/queues",
    {
      config: ADMIN,
      schema: {
        tags: ["operators"],
        summary: "Every queue's job counts",
        security: bearer,
        response: {
          200: {
            type: "object",
            properties: {
              items: {
                type: "array",
                items: {
                  type: "object",
                  properties: {
                    name: { type: "string" },
                    waiting: { type: "integer" },
                    active: { type: "integer" },
                    delayed: { type: "integer" },
                    failed: { type: "integer" },
                    completed: { type: "integer" },
                    paused: { type: "boolean" },
                  },
                },
              },
              nextCursor: { type: "null" },
            },
          },
          ...errors(401, 403),
        },
      },
    },
    async () => ({ items: await deps.queues.counts(), nextCursor: null }),
  );
}
