import { countItemsLastDay, getSource, listSources, type Role, updateSource } from "@babelwire/db";
import type { FastifyInstance } from "fastify";
import type { ApiDeps } from "../../deps.ts";
import { ApiError } from "../../plugins/errors.ts";
import { bearer, errors, idParams } from "../../schemas.ts";
import { addSource, removeSource } from "../../sources/manage-sources.ts";
import { type SourceInput, sourceView, toNewSource, toSourcePatch } from "../../sources/source-input.ts";

const sourceBody = {
  type: "object",
  additionalProperties: false,
  properties: {
    url: {
      type: "string",
      maxLength: 2048,
      // Feeds are http(s) URLs; offline sources are absolute paths or file:// URLs on the API's machine.
      pattern: "^(https?://|file://|/)",
      description: "http(s) feed URL, or an absolute path / file:// URL for an offline source",
    },
    name: { type: "string", maxLength: 200 },
    language: { type: "string", maxLength: 35, description: '"auto" or a BCP 47 tag' },
    targets: { type: "array", items: { type: "string", maxLength: 35 }, maxItems: 50 },
    interval: { type: "string", pattern: "^\\d+[smhd]?$", description: "such as 5m" },
    review: {
      type: "string",
      enum: ["auto", "strict", "required"],
      description:
        "auto: publish unless QA raised an error; strict: unless it raised anything; required: an editor approves",
    },
    reviewByLanguage: {
      type: "object",
      description: 'review policy per target language, overriding `review`, such as {"ca": "required"}',
      maxProperties: 50,
      additionalProperties: { type: "string", enum: ["auto", "strict", "required"] },
    },
    fullText: { type: "string", enum: ["auto", "always", "never"] },
    rightsUrl: {
      type: ["string", "null"],
      maxLength: 2048,
      description:
        "the agency's licence or terms page, sent to partners as ninjs rightsinfo.linkedrights; null clears it",
    },
    usageTerms: {
      type: ["string", "null"],
      maxLength: 1000,
      description:
        "what partners may do with the items (ninjs usageterms, RSS dc:rights, Atom rights); null or blank for the default sentence in each feed's language",
    },
  },
} as const;

const sourceResponse = {
  type: "object",
  additionalProperties: true,
  properties: {
    id: { type: "string" },
    url: { type: "string" },
    name: { type: "string" },
    language: { type: "string" },
    targets: { type: "array", items: { type: "string" } },
    interval: { type: "string" },
    review: { type: "string" },
    reviewByLanguage: { type: "object", additionalProperties: { type: "string" } },
    fullText: { type: "string" },
    rightsUrl: { type: ["string", "null"] },
    usageTerms: { type: ["string", "null"] },
    createdAt: { type: "string" },
    health: { type: "object", additionalProperties: true },
  },
} as const;

const READERS: { roles: Role[] } = { roles: ["admin", "editor"] };
const WRITERS: { roles: Role[] } = { roles: ["admin"] };

/** Operators' routes for feed sources: settings and health. */
export async function sourceRoutes(app: FastifyInstance, deps: ApiDeps) {
  app.get(
    "/v1/sources",
    {
      config: READERS,
      schema: {
        tags: ["operators"],
        summary: "List sources with their health",
        security: bearer,
        response: {
          200: {
            type: "object",
            properties: { items: { type: "array", items: sourceResponse }, nextCursor: { type: "null" } },
          },
          ...errors(401, 403),
        },
      },
    },
    async () => {
      const rows = await listSources(deps.db);
      const perDay = await countItemsLastDay(
        deps.db,
        rows.map((row) => row.id),
      );
      return { items: rows.map((row) => sourceView(row, perDay.get(row.id) ?? 0)), nextCursor: null };
    },
  );

  app.post<{ Body: SourceInput }>(
    "/v1/sources",
    {
      config: WRITERS,
      schema: {
        tags: ["operators"],
        summary: "Add a source and start polling it",
        security: bearer,
        body: { ...sourceBody, required: ["url"] },
        response: { 201: sourceResponse, ...errors(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const row = await addSource(deps.db, deps.queues, toNewSource(request.body, deps.config.TARGET_LANGUAGES));
      return reply.status(201).send(sourceView(row));
    },
  );

  app.get<{ Params: { id: string } }>(
    "/v1/sources/:id",
    {
      config: READERS,
      schema: {
        tags: ["operators"],
        summary: "One source with its health",
        security: bearer,
        params: idParams,
        response: { 200: sourceResponse, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const row = await mustGet(deps, request.params.id);
      return sourceView(row, (await countItemsLastDay(deps.db, [row.id])).get(row.id) ?? 0);
    },
  );

  app.patch<{ Params: { id: string }; Body: SourceInput }>(
    "/v1/sources/:id",
    {
      config: WRITERS,
      schema: {
        tags: ["operators"],
        summary: "Change a source's settings",
        security: bearer,
        params: idParams,
        body: { ...sourceBody, properties: { ...sourceBody.properties, url: { type: "string", not: {} } } },
        response: { 200: sourceResponse, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const row = await updateSource(deps.db, request.params.id, toSourcePatch(request.body));
      if (!row) throw notFound(request.params.id);
      return sourceView(row);
    },
  );

  app.delete<{ Params: { id: string } }>(
    "/v1/sources/:id",
    {
      config: WRITERS,
      schema: {
        tags: ["operators"],
        summary: "Remove a source and its articles",
        security: bearer,
        params: idParams,
        response: { 204: { type: "null" }, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      if (!(await removeSource(deps.db, deps.queues, request.params.id))) throw notFound(request.params.id);
      return reply.status(204).send();
    },
  );

  app.post<{ Params: { id: string } }>(
    "/v1/sources/:id/poll",
    {
      config: WRITERS,
      schema: {
        tags: ["operators"],
        summary: "Poll a source now",
        security: bearer,
        params: idParams,
        response: {
          202: { type: "object", properties: { queued: { type: "boolean" } } },
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const row = await mustGet(deps, request.params.id);
      await deps.queues.enqueuePoll({ sourceId: row.id, force: true, requestId: request.id });
      return reply.status(202).send({ queued: true });
    },
  );
}

function notFound(id: string) {
  return new ApiError(404, "not_found", `No source ${id}.`);
}

async function mustGet(deps: ApiDeps, id: string) {
  const row = await getSource(deps.db, id);
  if (!row) throw notFound(id);
  return row;
}
