import { feedFileRoots } from "@babelwire/config";
import { countItemsLastDay, getSource, getSourcePush, listSourcePushes, listSources, type Role } from "@babelwire/db";
import {
  addSource,
  assertPatchReachable,
  changeSource,
  enginePairsOf,
  importOpml,
  prepareNewSource,
  removeSource,
  renderOpml,
  type SourceInput,
  sourceView,
  toSourcePatch,
} from "@babelwire/operations";
import type { FastifyInstance } from "fastify";
import type { ApiDeps } from "../../deps.ts";
import { ApiError } from "../../plugins/errors.ts";
import { bearer, errors, idParams } from "../../schemas.ts";
import { invalidateFeedsOfSource } from "../../sources/invalidate-feeds.ts";

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
    interval: { type: "string", pattern: "^\\d+[smhd]?$", description: "a duration such as 90s, 5m or 2h" },
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
    paused: { type: "boolean" },
    createdAt: { type: "string" },
    health: { type: "object", additionalProperties: true },
  },
} as const;

const READERS: { roles: Role[] } = { roles: ["admin", "editor"] };
/** Partners list sources too, to use feeds' `?source=`: only their licensed ones, without settings or health. */
const LISTERS: { roles: Role[] } = { roles: ["admin", "editor", "partner"] };
const WRITERS: { roles: Role[] } = { roles: ["admin"] };

/** Operators' routes for feed sources: settings and health. */
export async function sourceRoutes(app: FastifyInstance, deps: ApiDeps) {
  const pairs = enginePairsOf(deps.config);
  opmlRoutes(app, deps, pairs);
  app.get(
    "/v1/sources",
    {
      config: LISTERS,
      schema: {
        tags: ["operators", "partners"],
        summary: "List sources with their health",
        description:
          "A partner token gets only its licensed sources, each with its `id`, `name` and `language`: what a feed's `?source=` filter takes.",
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
    async (request) => {
      const rows = await listSources(deps.db);
      const licence = request.principal?.licence;
      if (licence) {
        const licensed = licence.sources === null ? rows : rows.filter((row) => licence.sources?.includes(row.id));
        return { items: licensed.map(({ id, name, language }) => ({ id, name, language })), nextCursor: null };
      }
      const perDay = await countItemsLastDay(
        deps.db,
        rows.map((row) => row.id),
      );
      const pushes = await listSourcePushes(
        deps.db,
        rows.map((row) => row.id),
      );
      return {
        items: rows.map((row) => sourceView(row, perDay.get(row.id) ?? 0, pushes.get(row.id) ?? null)),
        nextCursor: null,
      };
    },
  );

  app.post<{ Body: SourceInput; Querystring: { check?: boolean } }>(
    "/v1/sources",
    {
      config: WRITERS,
      schema: {
        tags: ["operators"],
        summary: "Add a source and start polling it",
        description:
          'The source is read once first, as the poller will: a feed that cannot be read is 422 with its `FEED_*` code (`FEED_DNS`, `FEED_HTTP_404`, `FEED_NOT_A_FEED`, …), unless `check=false`. A web page becomes the feed it announces (`<link rel="alternate">`) or keeps at a usual path; a page linking several feeds is 422 naming them. A source without a name takes its feed\'s title. Target languages no engine of `TRANSLATION_ENGINES` reaches are 400 `unsupported_target`, naming the pairs there are.',
        security: bearer,
        querystring: {
          type: "object",
          properties: {
            check: { type: "boolean", default: true, description: "false: store the source without reading it first" },
          },
        },
        body: { ...sourceBody, required: ["url"] },
        response: { 201: sourceResponse, ...errors(400, 401, 403, 409, 422) },
      },
    },
    async (request, reply) => {
      const source = await prepareNewSource(request.body, {
        check: request.query.check !== false,
        pairs,
        defaultTargets: deps.config.TARGET_LANGUAGES,
        fileRoots: feedFileRoots(deps.config),
      });
      const row = await addSource(deps.db, deps.queues, source);
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
      const perDay = (await countItemsLastDay(deps.db, [row.id])).get(row.id) ?? 0;
      return sourceView(row, perDay, (await getSourcePush(deps.db, row.id)) ?? null);
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
        description:
          "`paused: true` stops polling (the source keeps its settings and health; its health `state` reads `paused`); `paused: false` resumes it.",
        body: {
          ...sourceBody,
          properties: {
            ...sourceBody.properties,
            url: { type: "string", not: {} },
            paused: { type: "boolean", description: "true stops polling, false resumes it" },
          },
        },
        response: { 200: sourceResponse, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const patch = toSourcePatch(request.body);
      if (patch.targets || patch.language)
        await assertPatchReachable(pairs, await mustGet(deps, request.params.id), patch);
      const row = await changeSource(deps.db, deps.queues, request.params.id, patch);
      if (!row) throw notFound(request.params.id);
      await invalidateFeedsOfSource(deps.db, app.feedGenerations, row.id, request.body);
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
          ...errors(400, 401, 403, 404, 409),
        },
      },
    },
    async (request, reply) => {
      const row = await mustGet(deps, request.params.id);
      if (row.paused) throw new ApiError(409, "source_paused", `Source ${row.id} is paused; resume it to poll it.`);
      await deps.queues.enqueuePoll({ sourceId: row.id, force: true, requestId: request.id });
      return reply.status(202).send({ queued: true });
    },
  );
}

const OPML_TYPES = ["text/x-opml", "application/xml", "text/xml", "application/octet-stream", "text/plain"];

/** OPML in and out: the subscription list Miniflux, FreshRSS and every feed reader exchange. */
function opmlRoutes(app: FastifyInstance, deps: ApiDeps, pairs: ReturnType<typeof enginePairsOf>) {
  // Only this plugin's routes take XML bodies; everything else stays JSON.
  app.addContentTypeParser(OPML_TYPES, { parseAs: "string" }, (_request, body, done) => done(null, body));
  app.get(
    "/v1/sources.opml",
    {
      config: READERS,
      schema: {
        tags: ["operators"],
        summary: "Every source as OPML 2.0, for a feed reader or another Babelwire",
        security: bearer,
        response: {
          200: { description: "OPML 2.0", content: { "text/x-opml": { schema: { type: "string" } } } },
          ...errors(401, 403),
        },
      },
    },
    async (_request, reply) => {
      const body = renderOpml(await listSources(deps.db), new Date());
      return reply
        .type("text/x-opml; charset=utf-8")
        .header("content-disposition", 'attachment; filename="babelwire-sources.opml"')
        .send(body);
    },
  );
  app.post<{ Body: string; Querystring: { check?: boolean } }>(
    "/v1/sources/import",
    {
      config: WRITERS,
      schema: {
        tags: ["operators"],
        summary: "Add every feed of an OPML file as a source",
        description:
          "The body is an OPML document (`Content-Type: text/x-opml` or `application/xml`). Each `<outline xmlUrl>` is added as `POST /v1/sources` would add it (`title` as its name, `language` when given, targets `TARGET_LANGUAGES`), read first unless `check=false`. URLs already sources are left alone; feeds that cannot be added are listed with their error code, and do not stop the others.",
        security: bearer,
        querystring: {
          type: "object",
          properties: { check: { type: "boolean", default: true } },
        },
        response: {
          200: {
            type: "object",
            properties: {
              added: { type: "array", items: sourceResponse },
              existing: { type: "array", items: { type: "string" } },
              failed: {
                type: "array",
                items: {
                  type: "object",
                  properties: { url: { type: "string" }, code: { type: "string" }, message: { type: "string" } },
                },
              },
            },
          },
          ...errors(400, 401, 403, 413, 415),
        },
      },
    },
    async (request) => {
      if (typeof request.body !== "string") {
        throw new ApiError(415, "unsupported_media_type", "Send the OPML document as text/x-opml or application/xml.");
      }
      const result = await importOpml(deps.db, deps.queues, request.body, {
        check: request.query.check !== false,
        pairs,
        defaultTargets: deps.config.TARGET_LANGUAGES,
        fileRoots: feedFileRoots(deps.config),
      });
      return { ...result, added: result.added.map((row) => sourceView(row)) };
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
