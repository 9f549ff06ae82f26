import { isatty } from "node:tty";
import { REDACTED, redactSecrets, redactUrl } from "@babelwire/core";
import { type DestinationStream, type Logger, pino } from "pino";
import { prettyDestination } from "./pretty-lines.ts";

export type { Logger };

/**
 * pino JSON logs. Secrets never reach a line: authorization headers, cookies and token
 * query parameters are redacted wherever they appear.
 */
export function createLogger(
  level: string,
  service: string,
  destination: 1 | 2 | DestinationStream = 1,
  format?: "pretty" | "json",
): Logger {
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
    typeof destination === "number" ? fileDestination(destination, format) : destination,
  );
}

/**
 * Pretty lines when a person watches (LOG_FORMAT=pretty, or unset on a terminal), JSON for
 * everything that collects logs (systemd, Docker, files, pipes).
 */
function fileDestination(fd: 1 | 2, format: "pretty" | "json" | undefined): DestinationStream {
  if (logFormat(format, isatty(fd)) === "json") return pino.destination({ dest: fd, sync: fd === 2 });
  return prettyDestination(fd === 2 ? process.stderr : process.stdout, isatty(fd));
}

/** LOG_FORMAT when set; else pretty for a person at a terminal and JSON for whatever reads a pipe or file. */
export function logFormat(format: "pretty" | "json" | undefined, terminal: boolean): "pretty" | "json" {
  return format ?? (terminal ? "pretty" : "json");
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
