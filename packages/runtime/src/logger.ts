import { isatty } from "node:tty";
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
      serializers: { req: serializeRequest },
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

/** Request lines without secrets: `?token=` (feed readers' credential) is masked in the URL. */
function serializeRequest(req: { id?: unknown; method?: string; url?: string; ip?: string }) {
  return {
    id: req.id,
    method: req.method,
    url: req.url?.replace(/([?&]token=)[^&#]*/gi, "$1[redacted]"),
    ip: req.ip,
  };
}
