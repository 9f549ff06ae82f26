import { hasUnstorableText } from "@babelwire/core";
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { ApiError } from "./errors.ts";

/**
 * Text that PostgreSQL cannot store, or that is not text at all: a NUL character (refused by
 * `text` and `jsonb`) and unpaired UTF-16 surrogates (no UTF-8 encoding exists for them). Left
 * in, they fail a write half-way with a 500; here they are a 400 naming the field.
 */
export function unstorableTextField(value: unknown, path = ""): string | undefined {
  if (typeof value === "string") return hasUnstorableText(value) ? path || "body" : undefined;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = unstorableTextField(item, `${path}[${index}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      const found = unstorableTextField(key, path) ?? unstorableTextField(item, path ? `${path}.${key}` : key);
      if (found) return found;
    }
  }
  return undefined;
}

/** Refuses NUL characters and unpaired surrogates anywhere in the query, the path or the body. */
export const inputTextPlugin = fp(
  async (app: FastifyInstance) => {
    app.addHook("preValidation", async (request) => {
      for (const part of [request.params, request.query, request.body]) {
        const field = unstorableTextField(part);
        if (field) {
          throw new ApiError(
            400,
            "invalid_request",
            `${field} contains a NUL character or an unpaired surrogate, which no text may hold.`,
            field,
          );
        }
      }
    });
  },
  { name: "babelwire-input-text" },
);

/**
 * A `date-time` the schema let through, as a Date. ajv-formats accepts a leap second
 * (`23:59:60`), which `new Date()` turns into Invalid Date and a query into a 500: a 400 here.
 */
export function instantOf(value: string, field: string): Date {
  const instant = new Date(value);
  if (Number.isNaN(instant.getTime())) {
    throw new ApiError(400, "invalid_request", `${field} must be an RFC 3339 date-time a clock can show.`, field);
  }
  return instant;
}
