import { normalizeLanguageTag } from "@babelwire/core";
import {
  deleteGlossary,
  deleteMemoryEntry,
  type GlossaryEntry,
  listGlossary,
  listMemory,
  listMemoryEntries,
  putGlossaryEntries,
  type Role,
} from "@babelwire/db";
import { memoryPair, renderTmx } from "@babelwire/translate";
import type { FastifyInstance } from "fastify";
import type { ApiDeps } from "../../deps.ts";
import { ApiError } from "../../plugins/errors.ts";
import { bearer, errors } from "../../schemas.ts";

const EDITORS: { roles: Role[] } = { roles: ["admin", "editor"] };

const pairParams = {
  type: "object",
  required: ["from", "to"],
  properties: { from: { type: "string", maxLength: 35 }, to: { type: "string", maxLength: 35 } },
} as const;

const entrySchema = {
  type: "object",
  additionalProperties: false,
  required: ["term", "translation"],
  properties: {
    term: { type: "string", minLength: 1, maxLength: 200 },
    translation: {
      type: "string",
      minLength: 1,
      maxLength: 200,
      description: "equal to the term: do not translate it",
    },
    caseSensitive: { type: "boolean", description: "default true" },
  },
} as const;

interface PairParams {
  from: string;
  to: string;
}

type EntryBody = Partial<GlossaryEntry> & { term: string; translation: string };

/** The pair as memory and the glossary key it: source by primary subtag, target exactly. */
function pairOf(params: PairParams) {
  const from = normalizeLanguageTag(params.from);
  const to = normalizeLanguageTag(params.to);
  if (!from) throw new ApiError(400, "invalid_request", `'${params.from}' is not a BCP 47 tag`, "from");
  if (!to) throw new ApiError(400, "invalid_request", `'${params.to}' is not a BCP 47 tag`, "to");
  return memoryPair(from, to);
}

/**
 * A term or translation trimmed, refused unless it holds a letter or a digit: an empty or
 * whitespace-only term matches everywhere and garbles every translation of its pair.
 */
function wordsOf(value: string, field: string): string {
  const trimmed = value.trim();
  if (!/[\p{L}\p{N}]/u.test(trimmed)) {
    throw new ApiError(400, "invalid_request", `${field} must hold a letter or a digit.`, field);
  }
  return trimmed;
}

/** Editors keep the terms an engine must render one way (names, titles, institutions). */
export async function glossaryRoutes(app: FastifyInstance, deps: ApiDeps) {
  app.get<{ Params: PairParams }>(
    "/v1/glossary/:from/:to",
    {
      config: EDITORS,
      schema: {
        tags: ["editors"],
        summary: "A language pair's glossary, longest term first",
        security: bearer,
        params: pairParams,
        response: {
          200: { type: "object", properties: { items: { type: "array", items: entrySchema } } },
          ...errors(400, 401, 403),
        },
      },
    },
    async (request) => ({ items: await listGlossary(deps.db, pairOf(request.params)) }),
  );

  app.put<{ Params: PairParams; Body: EntryBody | EntryBody[] }>(
    "/v1/glossary/:from/:to",
    {
      config: EDITORS,
      schema: {
        tags: ["editors"],
        summary: "Add or replace entries (one, or an array), by term",
        security: bearer,
        params: pairParams,
        body: { oneOf: [entrySchema, { type: "array", minItems: 1, maxItems: 5000, items: entrySchema }] },
        response: {
          200: { type: "object", properties: { written: { type: "integer" } } },
          ...errors(400, 401, 403),
        },
      },
    },
    async (request) => {
      const many = Array.isArray(request.body);
      const body = Array.isArray(request.body) ? request.body : [request.body];
      const entries = body.map((entry, index) => ({
        term: wordsOf(entry.term, many ? `[${index}].term` : "term"),
        translation: wordsOf(entry.translation, many ? `[${index}].translation` : "translation"),
        caseSensitive: entry.caseSensitive ?? true,
      }));
      return { written: await putGlossaryEntries(deps.db, pairOf(request.params), entries) };
    },
  );

  app.delete<{ Params: PairParams; Querystring: { term?: string } }>(
    "/v1/glossary/:from/:to",
    {
      config: EDITORS,
      schema: {
        tags: ["editors"],
        summary: "Delete one term (?term=), or the pair's whole glossary",
        security: bearer,
        params: pairParams,
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: { term: { type: "string", minLength: 1, maxLength: 200 } },
        },
        response: {
          200: { type: "object", properties: { deleted: { type: "integer" } } },
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (request) => {
      const deleted = await deleteGlossary(deps.db, pairOf(request.params), request.query.term?.trim());
      if (request.query.term !== undefined && deleted === 0) {
        throw new ApiError(404, "not_found", `No glossary entry '${request.query.term}'.`);
      }
      return { deleted };
    },
  );
}

const memoryEntrySchema = {
  type: "object",
  properties: {
    id: { type: "string", description: "the entry's key: a hash of its normalized source" },
    source: { type: "string" },
    target: { type: "string" },
    origin: { type: "string", enum: ["human", "machine"] },
    uses: { type: "integer" },
    createdAt: { type: "string", format: "date-time" },
    updatedAt: { type: "string", format: "date-time" },
  },
} as const;

interface MemoryQuery {
  origin?: "human" | "machine";
  limit?: number;
  after?: string;
}

/**
 * Translation memory leaves as TMX, for the CAT tools translators already use; editors page
 * through a pair's entries and forget a wrong one.
 */
export async function memoryExportRoutes(app: FastifyInstance, deps: ApiDeps) {
  app.get<{ Params: PairParams; Querystring: MemoryQuery }>(
    "/v1/memory/:from/:to/entries",
    {
      config: EDITORS,
      schema: {
        tags: ["editors"],
        summary: "A page of a language pair's translation memory entries",
        security: bearer,
        params: pairParams,
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            origin: { type: "string", enum: ["human", "machine"] },
            limit: { type: "integer", minimum: 1, maximum: 500, default: 100 },
            after: { type: "string", pattern: "^[0-9a-f]{64}$", description: "the last id of the previous page" },
          },
        },
        response: {
          200: {
            type: "object",
            properties: {
              items: { type: "array", items: memoryEntrySchema },
              next: { type: ["string", "null"], description: "pass as `after` for the next page" },
            },
          },
          ...errors(400, 401, 403),
        },
      },
    },
    async (request) => {
      const limit = request.query.limit ?? 100;
      const rows = await listMemoryEntries(deps.db, pairOf(request.params), {
        origin: request.query.origin,
        limit,
        after: request.query.after,
      });
      const items = rows.map((row) => ({
        id: row.id,
        source: row.source,
        target: row.target,
        origin: row.origin,
        uses: row.uses,
        createdAt: new Date(row.created_at).toISOString(),
        updatedAt: new Date(row.updated_at).toISOString(),
      }));
      return { items, next: items.length === limit ? (items.at(-1)?.id ?? null) : null };
    },
  );

  app.delete<{ Params: PairParams & { id: string } }>(
    "/v1/memory/:from/:to/entries/:id",
    {
      config: EDITORS,
      schema: {
        tags: ["editors"],
        summary: "Forget one translation memory entry",
        security: bearer,
        params: {
          type: "object",
          required: ["from", "to", "id"],
          properties: { ...pairParams.properties, id: { type: "string", maxLength: 64 } },
        },
        response: {
          200: { type: "object", properties: { deleted: { type: "integer" } } },
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (request) => {
      if (!(await deleteMemoryEntry(deps.db, pairOf(request.params), request.params.id))) {
        throw new ApiError(404, "not_found", `No translation memory entry ${request.params.id}.`);
      }
      return { deleted: 1 };
    },
  );

  app.get<{ Params: PairParams }>(
    "/v1/memory/:from/:to.tmx",
    {
      config: EDITORS,
      schema: {
        tags: ["editors"],
        summary: "A language pair's translation memory as TMX 1.4",
        security: bearer,
        params: pairParams,
        response: { 200: { type: "string", description: "TMX 1.4 document" }, ...errors(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const pair = pairOf(request.params);
      const units = await listMemory(deps.db, pair);
      reply
        .type("application/x-tmx+xml; charset=utf-8")
        .header("content-disposition", `attachment; filename="babelwire-${pair.from}-${pair.to}.tmx"`);
      return renderTmx(pair, units);
    },
  );
}
