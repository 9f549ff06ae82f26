import { CodedError } from "@babelwire/core";
import { OperationError } from "@babelwire/operations";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { createErrorLocalizer, preferredLanguage } from "../i18n/localize-error.ts";

// ---- The API's error codes: one catalog, one casing (snake_case), each with its status ----

/**
 * Every code the API answers with and its HTTP status: the table of docs/contract.md ("Errors").
 * Codes never change. The one family outside it: a feed `POST /v1/sources` cannot read answers
 * 422 with the feed's own `FEED_*` code (ingest's FEED_ERROR_CODES), see ApiError.
 */
export const API_ERRORS = {
  invalid_request: 400,
  invalid_json: 400,
  invalid_opml: 400,
  unknown_segment: 400,
  unsupported_target: 400,
  /** A WebSub callback on a private address. */
  blocked_address: 400,
  /** Any other 4xx of Fastify's, which answers with Fastify's own status (see describe). */
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_entitled: 403,
  not_found: 404,
  illegal_transition: 409,
  not_withdrawn: 409,
  source_exists: 409,
  source_paused: 409,
  stale_version: 412,
  payload_too_large: 413,
  uri_too_long: 414,
  unsupported_media_type: 415,
  precondition_required: 428,
  rate_limited: 429,
  internal_error: 500,
  not_ready: 503,
} as const;

export type ApiErrorCode = keyof typeof API_ERRORS;

/**
 * An error an API route answers with: a status, a code of API_ERRORS and a human sentence.
 * The status is spelled at the call site, where a reader looks for it, and must be the
 * catalog's for that code.
 */
export class ApiError<C extends ApiErrorCode = ApiErrorCode> extends Error {
  readonly statusCode: number;
  readonly code: string;
  readonly field: string | undefined;

  constructor(statusCode: (typeof API_ERRORS)[C], code: C, message: string, field?: string);
  /**
   * A feed that cannot be read: 422 with the feed's own code (`FEED_TIMEOUT`, `FEED_HTTP_404`),
   * another family's catalog, passed through as the contract says.
   */
  constructor(statusCode: 422, code: string, message: string, field?: string);
  constructor(statusCode: number, code: string, message: string, field?: string) {
    super(message);
    this.statusCode = statusCode;
    this.code = code;
    this.field = field;
  }
}

/**
 * Codes the domain's CodedErrors (db's transitions, edits, reinstatements) and the use-cases'
 * (@babelwire/operations) share with the API.
 */
const CODED: ReadonlySet<string> = new Set<ApiErrorCode>([
  "not_found",
  "illegal_transition",
  "not_withdrawn",
  "stale_version",
  "unknown_segment",
  "invalid_request",
  "invalid_opml",
  "unsupported_target",
  "source_exists",
  "source_paused",
]);

/**
 * A coded error's status, undefined for one the caller cannot act on (a 500). A would-be source
 * whose feed cannot be read keeps its FEED_* code: 422, the request understood but its feed refused.
 */
function codedStatus(error: CodedError): number | undefined {
  if (error instanceof OperationError && error.code.startsWith("FEED_")) return 422;
  return CODED.has(error.code) ? API_ERRORS[error.code as ApiErrorCode] : undefined;
}

const FASTIFY_CODES: Record<string, ApiErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: "payload_too_large",
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "unsupported_media_type",
  FST_ERR_CTP_INVALID_JSON_BODY: "invalid_json",
  FST_ERR_CTP_EMPTY_JSON_BODY: "invalid_json",
};

// ---- end of the catalog ----

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
    return {
      status: API_ERRORS.invalid_request,
      code: "invalid_request",
      message: validationMessage(error, field),
      field,
    };
  }
  const known = error.code ? FASTIFY_CODES[error.code] : undefined;
  if (known) return { status: API_ERRORS[known], code: known, message: knownMessage(error, request) };
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
        status: API_ERRORS.internal_error,
        code: "internal_error",
        message: "Something went wrong on our side.",
      });
    });
    app.setNotFoundHandler((request, reply) =>
      send(request, reply, {
        status: API_ERRORS.not_found,
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
  void reply.code(tooLong ? API_ERRORS.uri_too_long : API_ERRORS.bad_request).send({
    error: tooLong
      ? { code: "uri_too_long", message: "A path parameter is longer than 100 characters." }
      : { code: "bad_request", message: "The request's path could not be read." },
  });
}
