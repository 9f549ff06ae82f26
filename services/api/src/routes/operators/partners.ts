import { deletePartner, getPartner, listPartners, type Role } from "@babelwire/db";
import {
  addPartner,
  changePartner,
  createdPartnerView,
  type PartnerInput,
  partnerView,
  toNewPartner,
  toPartnerPatch,
} from "@babelwire/operations";
import type { FastifyInstance } from "fastify";
import type { ApiDeps } from "../../deps.ts";
import { ApiError } from "../../plugins/errors.ts";
import { bearer, errors, idParams } from "../../schemas.ts";

const ADMIN: { roles: Role[] } = { roles: ["admin"] };

const partnerBody = {
  type: "object",
  additionalProperties: false,
  properties: {
    name: { type: "string", minLength: 1, maxLength: 200, description: "The outlet" },
    languages: {
      type: "array",
      items: { type: "string", maxLength: 35 },
      minItems: 1,
      maxItems: 50,
      description: "Licensed languages as BCP 47 tags (normalized; `es` also covers `es-MX`)",
    },
    sources: {
      type: ["array", "null"],
      items: { type: "string", format: "uuid" },
      minItems: 1,
      maxItems: 1000,
      description: "Licensed source ids, each an existing source; null or absent: every source",
    },
    webhookUrl: {
      type: ["string", "null"],
      maxLength: 2048,
      description: "http(s) URL that receives signed webhooks; null removes it",
    },
    allowPrivateWebhook: {
      type: "boolean",
      description: "Whether webhooks may go to a private or loopback address (default false)",
    },
  },
} as const;

const partnerResponse = {
  type: "object",
  properties: {
    id: { type: "string" },
    name: { type: "string" },
    languages: { type: "array", items: { type: "string" } },
    sources: { type: ["array", "null"], items: { type: "string" }, description: "null: every source" },
    webhookUrl: { type: ["string", "null"] },
    allowPrivateWebhook: { type: "boolean" },
    createdAt: { type: "string", format: "date-time" },
    updatedAt: { type: "string", format: "date-time" },
  },
  required: ["id", "name", "languages", "sources", "webhookUrl", "allowPrivateWebhook"],
} as const;

const createdResponse = {
  ...partnerResponse,
  properties: {
    ...partnerResponse.properties,
    secret: {
      type: "string",
      description: "The webhook signing secret (HMAC-SHA256 key): shown once, here, never again",
    },
  },
  required: [...partnerResponse.required, "secret"],
} as const;

/**
 * Admins' routes for partner outlets: what each licenses (languages, sources) and where its
 * webhooks go. A change to a licence holds at once in this process and within the token
 * cache's 10 s elsewhere; deleting a partner revokes its tokens.
 */
export async function partnerRoutes(app: FastifyInstance, deps: ApiDeps) {
  app.post<{ Body: PartnerInput }>(
    "/v1/partners",
    {
      config: ADMIN,
      schema: {
        tags: ["operators"],
        summary: "Add a partner (its webhook secret is shown once)",
        security: bearer,
        body: { ...partnerBody, required: ["name", "languages"] },
        response: { 201: createdResponse, ...errors(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const row = await addPartner(deps.db, toNewPartner(request.body));
      return reply.status(201).send(createdPartnerView(row));
    },
  );

  app.get(
    "/v1/partners",
    {
      config: ADMIN,
      schema: {
        tags: ["operators"],
        summary: "List partners (never their webhook secrets)",
        security: bearer,
        response: {
          200: {
            type: "object",
            properties: { items: { type: "array", items: partnerResponse }, nextCursor: { type: "null" } },
            required: ["items", "nextCursor"],
          },
          ...errors(401, 403),
        },
      },
    },
    async () => ({ items: (await listPartners(deps.db)).map(partnerView), nextCursor: null }),
  );

  app.get<{ Params: { id: string } }>(
    "/v1/partners/:id",
    {
      config: ADMIN,
      schema: {
        tags: ["operators"],
        summary: "One partner",
        security: bearer,
        params: idParams,
        response: { 200: partnerResponse, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const row = await getPartner(deps.db, request.params.id);
      if (!row) throw notFound(request.params.id);
      return partnerView(row);
    },
  );

  app.patch<{ Params: { id: string }; Body: PartnerInput }>(
    "/v1/partners/:id",
    {
      config: ADMIN,
      schema: {
        tags: ["operators"],
        summary: "Change a partner's licence or webhook",
        description: "Only the fields sent change. Its tokens read under the new licence at once.",
        security: bearer,
        params: idParams,
        body: partnerBody,
        response: { 200: partnerResponse, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const row = await changePartner(deps.db, request.params.id, toPartnerPatch(request.body));
      if (!row) throw notFound(request.params.id);
      app.tokenCache.forgetPartner(row.id);
      return partnerView(row);
    },
  );

  app.delete<{ Params: { id: string } }>(
    "/v1/partners/:id",
    {
      config: ADMIN,
      schema: {
        tags: ["operators"],
        summary: "Remove a partner and revoke its tokens",
        security: bearer,
        params: idParams,
        response: { 204: { type: "null" }, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      if (!(await deletePartner(deps.db, request.params.id))) throw notFound(request.params.id);
      app.tokenCache.forgetPartner(request.params.id);
      return reply.status(204).send();
    },
  );
}

function notFound(id: string) {
  return new ApiError(404, "not_found", `No partner ${id}.`);
}
