import type { Role } from "@babelwire/db";
import { isQueueName, QUEUE_NAMES, type QueueName } from "@babelwire/queue";
import type { FastifyInstance } from "fastify";
import type { ApiDeps } from "../../deps.ts";
import { ApiError } from "../../plugins/errors.ts";
import { bearer, errors } from "../../schemas.ts";

const ADMIN: { roles: Role[] } = { roles: ["admin"] };

const queueView = {
  type: "object",
  properties: {
    name: { type: "string", enum: QUEUE_NAMES },
    waiting: { type: "integer" },
    active: { type: "integer" },
    delayed: { type: "integer" },
    failed: { type: "integer" },
    completed: { type: "integer" },
    paused: { type: "boolean" },
    jobsPerMinute: { type: "integer", description: "Jobs completed in the last 60 seconds" },
    oldestWaitingSeconds: { type: "integer", description: "How long the oldest waiting job has waited; 0 if none" },
    workers: {
      type: "array",
      description: "Worker processes with a heartbeat in the last 30 seconds",
      items: {
        type: "object",
        properties: {
          host: { type: "string" },
          pid: { type: "integer" },
          lastSeen: { type: "string", format: "date-time" },
        },
      },
    },
  },
} as const;

const failedJobView = {
  type: "object",
  properties: {
    id: { type: "string" },
    name: { type: "string" },
    failedReason: { type: "string" },
    code: { type: ["string", "null"], description: "The error code, such as FEED_HTTP_500, or null" },
    data: {
      type: "object",
      additionalProperties: true,
      description: "The job's payload: articleId, sourceId or translationId",
    },
    attemptsMade: { type: "integer" },
    finishedOn: { type: ["string", "null"], format: "date-time" },
  },
} as const;

const nameParams = {
  type: "object",
  properties: { name: { type: "string", maxLength: 50 } },
  required: ["name"],
} as const;

/** An unknown queue is a missing resource (404), like an unknown id. */
function queueNamed(name: string): QueueName {
  if (!isQueueName(name)) {
    throw new ApiError(404, "not_found", `No queue ${name}; the queues are ${QUEUE_NAMES.join(", ")}.`);
  }
  return name;
}

/** Operators watch and steer the job queues: depths, throughput, failures, pause and retry. */
export async function queueRoutes(app: FastifyInstance, deps: ApiDeps) {
  app.get(
    "/v1/queues",
    {
      config: ADMIN,
      schema: {
        tags: ["operators"],
        summary: "Every queue's job counts, throughput, backlog age and live workers",
        security: bearer,
        response: {
          200: {
            type: "object",
            properties: { items: { type: "array", items: queueView }, nextCursor: { type: "null" } },
          },
          ...errors(401, 403),
        },
      },
    },
    async () => ({ items: await deps.queues.counts(), nextCursor: null }),
  );

  app.get<{ Params: { name: string }; Querystring: { limit: number } }>(
    "/v1/queues/:name/failed",
    {
      config: ADMIN,
      schema: {
        tags: ["operators"],
        summary: "A queue's failed jobs, newest first, with their error codes and payloads",
        security: bearer,
        params: nameParams,
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: { limit: { type: "integer", minimum: 1, maximum: 500, default: 50 } },
        },
        response: {
          200: {
            type: "object",
            properties: { items: { type: "array", items: failedJobView }, nextCursor: { type: "null" } },
          },
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (request) => ({
      items: await deps.queues.listFailed(queueNamed(request.params.name), request.query.limit),
      nextCursor: null,
    }),
  );

  app.post<{ Params: { name: string } }>(
    "/v1/queues/:name/retry",
    {
      config: ADMIN,
      schema: {
        tags: ["operators"],
        summary: "Retry every failed job of a queue, each with its full attempts again",
        security: bearer,
        params: nameParams,
        response: {
          200: { type: "object", properties: { retried: { type: "integer" } } },
          ...errors(401, 403, 404),
        },
      },
    },
    async (request) => ({ retried: await deps.queues.retryFailed(queueNamed(request.params.name)) }),
  );

  for (const action of ["pause", "resume"] as const) {
    app.post<{ Params: { name: string } }>(
      `/v1/queues/:name/${action}`,
      {
        config: ADMIN,
        schema: {
          tags: ["operators"],
          summary:
            action === "pause"
              ? "Stop workers everywhere from taking this queue's jobs (running ones finish)"
              : "Let workers take this queue's jobs again",
          security: bearer,
          params: nameParams,
          response: { 200: queueView, ...errors(401, 403, 404) },
        },
      },
      async (request) => {
        const name = queueNamed(request.params.name);
        await deps.queues[action](name);
        return deps.queues.status(name);
      },
    );
  }
}
