import { REDACTED, redactSecrets, redactUrl } from "@babelwire/core";
import { type DestinationStream, type Logger, pino } from "pino";

export type { Logger };

/**
 * pino JSON logs. Secrets never reach a line: authorization headers, cookies and token
 * query parameters are redacted wherever they appear.
 */
export function createLogger(level: string, service: string, destination: 1 | 2 | DestinationStream = 1): Logger {
  return pino(
    {
      level,
      base: { service },
      serializers: { req: serializeRequest, err: serializeError, error: serializeError },
      redact: {
        paths: [
          "req.headers.authorization",
          "req.headers.cookie",
          'req.headers["x-api-key"]',
          "headers.authorization",
          "token",
          "*.token",
          "secret",
          "*.secret",
          "password",
          "*.password",
        ],
        censor: "[redacted]",
      },
    },
    // A stream is for tests that read what would have been written.
    typeof destination === "number" ? pino.destination({ dest: destination, sync: destination === 2 }) : destination,
  );
}

/** Request lines without secrets: `?token=` (feed readers' credential), in any spelling, is masked in the URL. */
function serializeRequest(req: { id?: unknown; method?: string; url?: string; ip?: string }) {
  return {
    id: req.id,
    method: req.method,
    url: req.url === undefined ? undefined : redactUrl(req.url),
    ip: req.ip,
  };
}

// What a database error carries of the statement's values: PGlite attaches the bound
// parameters, PostgreSQL's detail and where quote the row ("Key (hash)=(…)", "$1 = '…'").
const DATABASE_VALUES = ["params", "parameters", "detail", "where", "internalQuery", "queryOptions"];

/**
 * pino's error serializer, then without secrets: no bound parameters or quoted values of a
 * database error, and no credentials, tokens or webhook secrets in any message or stack.
 */
export function serializeError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  return scrub(pino.stdSerializers.err(error) as unknown as Record<string, unknown>);
}

function scrub(serialized: Record<string, unknown>): Record<string, unknown> {
  const database = typeof serialized.code === "string" && "severity" in serialized;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(serialized)) {
    if (database && DATABASE_VALUES.includes(key)) out[key] = REDACTED;
    else if (typeof value === "string")
      out[key] = redactSecrets(database ? value.replace(/"[^"\n]*"/g, `"${REDACTED}"`) : value);
    else if (value && typeof value === "object" && !Array.isArray(value))
      out[key] = scrub(value as Record<string, unknown>);
    else out[key] = value;
  }
  return out;
}
