import { CodedError } from "@babelwire/core";

/**
 * A command failure: one line on stderr, `babelwire: <CODE>: <message>`, then a non-zero exit.
 * The code is stable for scripts (`INVALID_ARGUMENT`, `NOT_FOUND`, `FEED_DNS`, …); the message
 * is for people.
 */
export class CommandError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
    readonly code = "INVALID_ARGUMENT",
  ) {
    super(message);
  }
}

/** The one line every failure is reported as, whatever threw it. */
export function errorLine(error: unknown): string {
  const message = (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";
  return `babelwire: ${codeOf(error)}: ${message}`;
}

function codeOf(error: unknown): string {
  if (error instanceof CommandError || error instanceof CodedError) return error.code;
  // The API's errors (ApiError) carry a snake_case code; scripts match the same codes as the HTTP API's.
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^[A-Za-z][\w.]*$/.test(code) ? code : "ERROR";
}

export function reportAndExit(error: unknown): never {
  process.stderr.write(`${errorLine(error)}\n`);
  if (error instanceof CommandError) process.exit(error.exitCode);
  // A feed that cannot be read and similar coded failures: 2, as `ingest --dry-run` promises.
  process.exit(error instanceof CodedError ? 2 : 1);
}
