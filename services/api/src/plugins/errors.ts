import { CodedError } from "@babelwire/core";
import { OperationError } from "@babelwire/operations";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { createErrorLocalizer, preferredLanguage } from "../i18n/localize-error.ts";

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

/** The status of each code a domain rule or a use-case (@babelwire/operations) refuses with. */
const CODED_STATUS: Record<string, number> = {
  not_found: 404,
  illegal_transition: 409,
  not_withdrawn: 409,
  stale_version: 412,
  unknown_segment: 400,
  invalid_request: 400,
  invalid_opml: 400,
  unsupported_target: 400,
  source_exists: 409,
};

/**
 * A coded error's status, undefined for one the caller cannot act on (a 500). A would-be source
 * whose feed cannot be read keeps its FEED_* code: 422, the request understood but its feed refused.
 */
function codedStatus(error: CodedError): number | undefined {
  if (error instanceof OperationError && error.code.startsWith("FEED_")) return 422;
  return CODED_STATUS[error.code];
}

const FASTIFY_CODES: Record<string, { status: number; code: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: "payload_too_large" },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: "unsupported_media_type" },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: "invalid_json" },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: "invalid_json" },
};

type ValidationIssue = NonNullable<FastifyError["validation"]>[number] & { parentSchema?: { description?: string } };

interface IssueParams {
  missingProperty?: string;
  additionalProperty?: string;
  allowedValues?: unknown[];
  limit?: number;
  format?: string;
  type?: string | string[];
}

function validationField(error: FastifyError): string | undefined {
  const first = error.validation?.[0];
  if (!first) return undefined;
  const params = (first.params ?? {}) as IssueParams;
  const path = first.instancePath.replace(/^\//, "").replace(/\//g, ".");
  return (
    [path, params.missingProperty ?? params.additionalProperty].filter(Boolean).join(".") || error.validationContext
  );
}

/**
 * A sentence naming the field and what it accepts, instead of Ajv's own ("must NOT have
 * additional properties", "must match pattern ^\d+[smhd]?$", "lang must have required property
 * 'lang'"): the caller learns what to send, and never reads a regular expression.
 */
function validationMessage(error: FastifyError, field: string | undefined): string {
  const issue = error.validation?.[0] as ValidationIssue | undefined;
  const params = (issue?.params ?? {}) as IssueParams;
  const name = field ?? error.validationContext ?? "request";
  const where = error.validationContext ?? "body";
  switch (issue?.keyword) {
    case "required":
      return `${name} is required`;
    case "additionalProperties":
      return `${name} is not a field this ${where === "querystring" ? "query" : where} takes`;
    case "enum":
      return `${name} must be one of: ${(params.allowedValues ?? []).map((value) => JSON.stringify(value)).join(", ")}`;
    case "pattern":
    case "format": {
      const described = issue.parentSchema?.description;
      return `${name} is not in the accepted form${described ? `: ${described}` : params.format ? ` (${params.format})` : ""}`;
    }
    case "type":
      return `${name} must be of type ${[params.type].flat().join(" or ")}`;
    default:
      return `${name} ${issue?.message ?? "is invalid"}`;
  }
}

/**
 * Every error leaves as `{"error": {"code", "message"}}` with the fitting status, as
 * docs/contract.md ("Errors") says. Bad input is a 400 naming the field, never a 500; a 500 is logged
 * with its cause and shown without internals.
 */
interface ErrorReply {
  status: number;
  code: string;
  message: string;
  field?: string | undefined;
}

/** Fastify's own messages ("Request body is too large") say what went wrong but not what would do. */
function knownMessage(error: FastifyError, request: FastifyRequest): string {
  if (error.code === "FST_ERR_CTP_BODY_TOO_LARGE") {
    const limit = request.routeOptions.bodyLimit ?? request.server.initialConfig.bodyLimit ?? 0;
    return `The request body is larger than the limit of ${limit} bytes (${(limit / 1024 / 1024).toFixed(1)} MiB).`;
  }
  if (error.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") {
    const given = request.headers["content-type"]?.split(";")[0] ?? "none";
    return `This route takes a JSON body: send Content-Type: application/json (this request sent ${given}).`;
  }
  return error.message;
}

/** What an error means for the caller: status, stable code, English message, the field at fault. */
function describe(error: FastifyError, request: FastifyRequest): ErrorReply | undefined {
  if (error instanceof ApiError) {
    return { status: error.statusCode, code: error.code, message: error.message, field: error.field };
  }
  const status = error instanceof CodedError ? codedStatus(error) : undefined;
  if (error instanceof CodedError && status) {
    const field = error instanceof OperationError ? error.field : undefined;
    return { status, code: error.code, message: error.message, field };
  }
  if (error.validation) {
    const field = validationField(error);
    return { status: 400, code: "invalid_request", message: validationMessage(error, field), field };
  }
  const known = error.code ? FASTIFY_CODES[error.code] : undefined;
  if (known) return { status: known.status, code: known.code, message: knownMessage(error, request) };
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return { status: error.statusCode, code: "bad_request", message: error.message };
  }
  return undefined;
}

/**
 * Every error leaves as `{"error": {"code", "message"}}` with the fitting status, as
 * docs/contract.md ("Errors") says. Bad input is a 400 naming the field, never a 500; a 500 is logged
 * with its cause and shown without internals. Messages follow Accept-Language (en, es, uk);
 * codes never change.
 */
export const errorsPlugin = fp(
  async (app: FastifyInstance) => {
    const localize = createErrorLocalizer();
    const send = (request: FastifyRequest, reply: FastifyReply, answer: ErrorReply) => {
      const lang = preferredLanguage(request.headers["accept-language"]);
      const message = localize(lang, answer.code, answer.message, answer.message);
      if (lang !== "en") reply.header("content-language", lang);
      return reply.status(answer.status).send({
        error: { code: answer.code, message, ...(answer.field && { field: answer.field }) },
      });
    };
    app.setErrorHandler((error: FastifyError, request, reply) => {
      const answer = describe(error, request);
      if (answer) return send(request, reply, answer);
      request.log.error({ err: error }, "request failed");
      return send(request, reply, {
        status: 500,
        code: "internal_error",
        message: "Something went wrong on our side.",
      });
    });
    app.setNotFoundHandler((request, reply) =>
      send(request, reply, {
        status: 404,
        code: "not_found",
        message: `No route ${request.method} ${request.url.split("?")[0]}.`,
      }),
    );
  },
  { name: "babelwire-errors" },
);

/** Errors of Fastify's router (an over-long path parameter, a malformed URL), before any route or hook runs. */
export function answerFrameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const tooLong = error.code === "FST_ERR_MAX_PARAM_LENGTH";
  void reply.code(tooLong ? 414 : 400).send({
    error: tooLong
      ? { code: "uri_too_long", message: "A path parameter is longer than 100 characters." }
      : { code: "bad_request", message: "The request's path could not be read." },
  });
}
