import { CodedError } from "@babelwire/core";

/**
 * The fixed codes a feed read can fail with. HTTP answers other than 2xx/304 fail with
 * `FEED_HTTP_<status>` (FEED_HTTP_404, FEED_HTTP_500 …), which is a family rather than a list.
 */
export const FEED_ERROR_CODES = [
  "FEED_TIMEOUT",
  "FEED_TOO_LARGE",
  "FEED_DNS",
  "FEED_CONNECTION",
  "FEED_TOO_MANY_REDIRECTS",
  "FEED_INVALID_URL",
  "FEED_PARSE",
  "FEED_NOT_A_FEED",
  "FEED_FILE_NOT_FOUND",
  "FEED_FILE_UNREADABLE",
  "FEED_FILE_NOT_ALLOWED",
  "FEED_BLOCKED_ADDRESS",
] as const;

export type FeedErrorCode = (typeof FEED_ERROR_CODES)[number] | `FEED_HTTP_${number}`;

/**
 * A feed read failure; `status` is the HTTP status when a server answered. `retryAfterSeconds`
 * is the server's own `Retry-After` on a 429 or 503, so a poller can wait as long as it was asked.
 */
export class FeedError extends CodedError {
  readonly status: number | null;
  readonly retryAfterSeconds: number | null;

  constructor(
    code: FeedErrorCode,
    message: string,
    options: { cause?: unknown; permanent?: boolean; status?: number | null; retryAfterSeconds?: number | null } = {},
  ) {
    super(code, message, { cause: options.cause, permanent: options.permanent });
    this.name = "FeedError";
    this.status = options.status ?? null;
    this.retryAfterSeconds = options.retryAfterSeconds ?? null;
  }
}
