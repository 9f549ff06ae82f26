import { CodedError } from "@babelwire/core";
import type { FastifyError, FastifyInstance } from "fastify";
import fp from "fastify-plugin";

/** An error an API route answers with: a status, a snake_case code and a human sentence. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

const DOMAIN_STATUS: Record<string, number> = {
  not_found: 404,
  illegal_transition: 409,
  stale_version: 412,
  unknown_segment: 400,
};

const FASTIFY_CODES: Record<string, { status: number; code: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: "payload_too_large" },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: "unsupported_media_type" },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: "invalid_json" },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: "invalid_json" },
};

function validationField(error: FastifyError): string | undefined {
  const first = error.validation?.[0];
  if (!first) return undefined;
  const missing = (first.params as { missingProperty?: string } | undefined)?.missingProperty;
  const path = first.instancePath.replace(/^\//, "").replace(/\//g, ".");
  return [path, missing].filter(Boolean).join(".") || error.validationContext;
}

/**
 * Every error leaves as `{"error": {"code", "message"}}` with the fitting status, as
 * CONTRACT.md says. Bad input is a 400 naming the field, never a 500; a 500 is logged
 * with its cause and shown without internals.
 */
export const errorsPlugin = fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      if (error instanceof ApiError) {
        return reply.status(error.statusCode).send({
          error: { code: error.code, message: error.message, ...(error.field && { field: error.field }) },
        });
      }
      if (error instanceof CodedError && DOMAIN_STATUS[error.code]) {
        return reply
          .status(DOMAIN_STATUS[error.code] ?? 400)
          .send({ error: { code: error.code, message: error.message } });
      }
      if (error.validation) {
        const field = validationField(error);
        return reply.status(400).send({
          error: {
            code: "invalid_request",
            message: `${field ?? "request"} ${error.validation[0]?.message ?? "is invalid"}`,
            ...(field && { field }),
          },
        });
      }
      const known = error.code ? FASTIFY_CODES[error.code] : undefined;
      if (known) return reply.status(known.status).send({ error: { code: known.code, message: error.message } });
      if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
        return reply.status(error.statusCode).send({ error: { code: "bad_request", message: error.message } });
      }
      request.log.error({ err: error }, "request failed");
      return reply
        .status(500)
        .send({ error: { code: "internal_error", message: "Something went wrong on our side." } });
    });
    app.setNotFoundHandler((request, reply) =>
      reply
        .status(404)
        .send({ error: { code: "not_found", message: `No route ${request.method} ${request.url.split("?")[0]}.` } }),
    );
  },
  { name: "babelwire-errors" },
);
