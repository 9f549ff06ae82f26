import {
  type Db,
  getArticle,
  getTranslation,
  listTranslationEvents,
  type Role,
  rememberSegments,
  type TranslationRow,
  tokenLabels,
  transitionTranslation,
} from "@babelwire/db";
import { joinBlocks, type LearningStore, learnApprovedTranslation, sanitizeTarget } from "@babelwire/translate";
import type { FastifyInstance, FastifyReply } from "fastify";
import type { ApiDeps } from "../../deps.ts";
import { actorOf } from "../../plugins/auth.ts";
import { ApiError } from "../../plugins/errors.ts";
import { bearer, errors, idParams } from "../../schemas.ts";

const EDITORS: { roles: Role[] } = { roles: ["admin", "editor"] };

/** What an approval teaches translation memory, read from and written to the database. */
function learningStore(db: Db): LearningStore {
  return {
    getArticle: (id) => getArticle(db, id),
    listTranslationEvents: (id) => listTranslationEvents(db, id),
    rememberSegments: (pair, entries, origin, engine) => rememberSegments(db, pair, entries, origin, engine),
  };
}

const ifMatchHeader = {
  type: "object",
  properties: { "if-match": { type: "string", description: 'the version read (the ETag of GET), e.g. "3"' } },
} as const;

const translationSchema = {
  type: "object",
  additionalProperties: true,
  properties: {
    id: { type: "string" },
    articleId: { type: "string" },
    lang: { type: "string" },
    status: { type: "string" },
    version: { type: "integer" },
    title: { type: ["string", "null"] },
    summary: { type: ["string", "null"] },
    segments: {
      type: "array",
      items: {
        type: "object",
        properties: {
          id: { type: "string" },
          source: { type: "string" },
          target: { type: "string" },
          memory: {
            type: "string",
            enum: ["human", "machine"],
            description: "set when translation memory gave this target: an editor's (`human`) or an earlier engine run",
          },
          edited: { type: "boolean", description: "an editor changed this target; approving makes it human memory" },
        },
      },
    },
    memoryHits: { type: "integer", description: "segments whose target came from translation memory" },
    qa: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: true,
        properties: { code: { type: "string" }, message: { type: "string" } },
      },
    },
    engine: {
      type: ["string", "null"],
      description:
        "the engine that translated; when every segment came from memory, the engine behind the remembered text (`memory` only when editors wrote all of it)",
    },
    machineDraft: {
      type: ["object", "null"],
      additionalProperties: true,
      description: "the engine's text as it came out (title, summary, segments), to diff an editor's changes against",
      properties: {
        title: { type: "string" },
        summary: { type: "string" },
        engine: { type: "string" },
        segments: {
          type: "array",
          items: { type: "object", properties: { id: { type: "string" }, target: { type: "string" } } },
        },
      },
    },
    editRate: {
      type: ["number", "null"],
      description: "at the last approval by an editor: word-level edits of the machine draft ÷ words approved",
    },
    glossaryTerms: {
      type: "array",
      description:
        "glossary terms the engine was made to keep, and the segments (`title`, `summary`, `s1`, …) they are in",
      items: {
        type: "object",
        properties: {
          term: { type: "string" },
          translation: { type: "string" },
          segments: { type: "array", items: { type: "string" } },
        },
      },
    },
    history: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: true,
        properties: {
          actor: {
            type: "string",
            description: "the label of the token that acted (`Ana editor`), else `system` or `token:<id>`",
          },
          actorId: { type: "string", description: "`token:<id>` or `system`, as recorded" },
        },
      },
    },
  },
} as const;

/** What approving, editing and rejecting share: one translation, named at the version the editor read. */
const decisionOnVersion = { security: bearer, params: idParams, headers: ifMatchHeader };
const decisionResponse = { 200: translationSchema, ...errors(400, 401, 403, 404, 409, 412, 428) };

async function translationView(db: Db, row: TranslationRow) {
  const [article, events] = await Promise.all([getArticle(db, row.article_id), listTranslationEvents(db, row.id)]);
  const labels = await actorLabels(
    db,
    events.map((event) => event.actor),
  );
  return {
    id: row.id,
    articleId: row.article_id,
    lang: row.lang,
    status: row.status,
    version: row.version,
    articleVersion: row.article_version,
    title: row.title,
    summary: row.summary,
    source: article && { title: article.title, summary: article.summary, language: article.language, url: article.url },
    segments: row.segments,
    memoryHits: row.segments.filter((segment) => segment.memory).length,
    qa: row.qa,
    engine: row.engine,
    machineDraft: row.machine_draft
      ? {
          title: row.machine_draft.title,
          summary: row.machine_draft.summary,
          engine: row.machine_draft.engine,
          segments: row.machine_draft.segments,
        }
      : null,
    glossaryTerms: row.machine_draft?.glossary ?? [],
    editRate: row.edit_rate,
    error: row.error_code ? { code: row.error_code, message: row.error_message } : null,
    publishedAt: row.published_at?.toISOString() ?? null,
    history: events.map((event) => ({
      at: event.at.toISOString(),
      actor: labels.get(event.actor) ?? event.actor,
      actorId: event.actor,
      action: event.action,
      from: event.from_status,
      to: event.to_status,
      detail: event.detail,
    })),
  };
}

/** The translation as the desk reads it, with its version as the ETag a later If-Match names. */
function versionedView(reply: FastifyReply, db: Db, row: TranslationRow) {
  reply.header("etag", `"${row.version}"`);
  return translationView(db, row);
}

/** `token:<id>` actors → their tokens' labels, for the ones that have a label. */
async function actorLabels(db: Db, actors: string[]): Promise<Map<string, string>> {
  const ids = [...new Set(actors.filter((actor) => actor.startsWith("token:")).map((actor) => actor.slice(6)))];
  const labels = await tokenLabels(db, ids);
  return new Map([...labels].map(([id, label]) => [`token:${id}`, label]));
}

/** Editors read a translation beside its source and approve it for publishing. */
export async function translationRoutes(app: FastifyInstance, deps: ApiDeps) {
  app.get<{ Params: { id: string } }>(
    "/v1/translations/:id",
    {
      config: EDITORS,
      schema: {
        tags: ["editors"],
        summary: "A translation beside its source, with QA flags and history",
        security: bearer,
        params: idParams,
        response: { 200: translationSchema, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const row = await getTranslation(deps.db, request.params.id);
      if (!row) throw new ApiError(404, "not_found", `No translation ${request.params.id}.`);
      return versionedView(reply, deps.db, row);
    },
  );

  app.post<{ Params: { id: string }; Body: ApproveBody | undefined }>(
    "/v1/translations/:id/approve",
    {
      config: EDITORS,
      schema: {
        tags: ["editors"],
        summary: "Approve and publish a translation (needs If-Match: the version the editor read)",
        description:
          "What an editor changed becomes human translation memory; `confirm` names unchanged parts (segment ids, `title`, `summary`) the editor vouches for, which become human memory too.",
        ...decisionOnVersion,
        body: {
          type: "object",
          additionalProperties: false,
          properties: {
            confirm: { type: "array", maxItems: 2000, items: { type: "string", minLength: 1, maxLength: 20 } },
          },
        },
        response: decisionResponse,
      },
      // The body is optional: an approval without one confirms nothing beyond what was edited.
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request, reply) => {
      const expectedVersion = versionFromIfMatch(request.headers["if-match"]);
      const row = await transitionTranslation(deps.db, request.params.id, "approve", {
        actor: actorOf(request),
        expectedVersion,
      });
      // Learned before publishing, so the next article with the same sentence already gets the editor's text.
      await learnApprovedTranslation(learningStore(deps.db), row, request.body?.confirm ?? []);
      await deps.queues.enqueuePublish({ translationId: row.id, requestId: request.id });
      return versionedView(reply, deps.db, row);
    },
  );

  app.patch<{ Params: { id: string }; Body: EditBody }>(
    "/v1/translations/:id",
    {
      config: EDITORS,
      schema: {
        tags: ["editors"],
        summary: "Correct a translation in review, or a published one (needs If-Match: its version)",
        description:
          "A published translation's correction is a new version that goes back to review (`in_review`); " +
          "partners keep reading the published text until it is approved, then get it as an update " +
          "(feeds change, the ninjs `version` goes up, webhooks receive `updated`).",
        ...decisionOnVersion,
        body: {
          type: "object",
          additionalProperties: false,
          minProperties: 1,
          properties: {
            title: { type: "string", minLength: 1, maxLength: 1000 },
            summary: { type: "string", maxLength: 10_000 },
            segments: {
              type: "array",
              maxItems: 2000,
              items: {
                type: "object",
                additionalProperties: false,
                required: ["id", "target"],
                properties: { id: { type: "string", maxLength: 20 }, target: { type: "string", maxLength: 100_000 } },
              },
            },
          },
        },
        response: decisionResponse,
      },
    },
    async (request, reply) => {
      const expectedVersion = versionFromIfMatch(request.headers["if-match"]);
      const { title, summary, segments } = request.body;
      const row = await transitionTranslation(deps.db, request.params.id, "edit", {
        actor: actorOf(request),
        expectedVersion,
        edit: {
          title,
          summary,
          segments:
            segments && Object.fromEntries(segments.map((segment) => [segment.id, sanitizeTarget(segment.target)])),
          rebuildBody: joinBlocks,
        },
        detail: { fields: Object.keys(request.body), segments: segments?.map((segment) => segment.id) ?? [] },
      });
      return versionedView(reply, deps.db, row);
    },
  );

  app.post<{ Params: { id: string }; Body: RejectBody }>(
    "/v1/translations/:id/reject",
    {
      config: EDITORS,
      schema: {
        tags: ["editors"],
        summary: "Reject a translation, optionally sending it back to the engine (needs If-Match)",
        ...decisionOnVersion,
        body: {
          type: "object",
          additionalProperties: false,
          required: ["reason"],
          properties: { reason: { type: "string", minLength: 1, maxLength: 2000 }, retranslate: { type: "boolean" } },
        },
        response: decisionResponse,
      },
    },
    async (request, reply) => {
      const expectedVersion = versionFromIfMatch(request.headers["if-match"]);
      const actor = actorOf(request);
      const { reason, retranslate = false } = request.body;
      let row = await transitionTranslation(deps.db, request.params.id, "reject", {
        actor,
        expectedVersion,
        detail: { reason },
      });
      if (retranslate) {
        row = await transitionTranslation(deps.db, row.id, "retranslate", { actor, detail: { reason } });
        await deps.queues.enqueueTranslate({
          articleId: row.article_id,
          articleVersion: row.article_version,
          lang: row.lang,
          // The first job of this version may be kept as completed: a new id makes a new job.
          retranslation: row.version,
          requestId: request.id,
        });
      }
      return versionedView(reply, deps.db, row);
    },
  );
}

interface EditBody {
  title?: string;
  summary?: string;
  segments?: Array<{ id: string; target: string }>;
}

interface ApproveBody {
  confirm?: string[];
}

interface RejectBody {
  reason: string;
  retranslate?: boolean;
}

/**
 * `If-Match: "7"` (or W/"7", or 7) → 7. Missing is 428: editors must say what version they
 * edited, approved or rejected, so no one decides on text they have not seen.
 */
function versionFromIfMatch(header: string | undefined): number {
  if (header === undefined) {
    throw new ApiError(428, "precondition_required", "Send If-Match with the version you edited (the ETag of GET).");
  }
  const version = Number(
    header
      .trim()
      .replace(/^W\//, "")
      .replace(/^"(.*)"$/, "$1"),
  );
  if (!Number.isInteger(version) || version < 1) {
    throw new ApiError(400, "invalid_request", 'If-Match must be a translation version such as "3"', "if-match");
  }
  return version;
}
