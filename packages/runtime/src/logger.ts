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
    typeof destination === "number" ? pino.destination({ dest: destination, sync: destination === 2 }) : destination,
  );
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
