import { CodedError } from "@babelwire/core";
import type { OperationError } from "@babelwire/operations";

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

/**
 * A use-case's refusal as `command`'s own failure: `<command>: <message>` as INVALID_ARGUMENT,
 * the field's name in the message replaced by the option that gives it (`partnerId` → `--partner`)
 * where the option is named otherwise. Anything else is rethrown as it is.
 */
export function asCommandError(command: string, flags: Record<string, string> = {}) {
  return (error: unknown): never => {
    if (!isOperationError(error)) throw error;
    const flag = error.field ? flags[error.field] : undefined;
    const message = flag && error.field ? error.message.replace(error.field, flag) : error.message;
    throw new CommandError(`${command}: ${message}`);
  };
}

/**
 * Whether a use case refused (@babelwire/operations' OperationError), told by the name the class
 * gives its errors: importing the class would load every use case, the feed parsers with them,
 * into each command and `--help`, for this one check.
 */
function isOperationError(error: unknown): error is OperationError {
  return error instanceof CodedError && error.name === "OperationError";
}

/** The one line every failure is reported as, whatever threw it. */
export function errorLine(error: unknown): string {
  const message = (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";
  return `babelwire: ${codeOf(error)}: ${message}`;
}

function codeOf(error: unknown): string {
  if (error instanceof CommandError || error instanceof CodedError) return error.code;
  // Other errors with a code of their own (a Node error's ENOENT, …) keep it.
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^[A-Za-z][\w.]*$/.test(code) ? code : "ERROR";
}

export function reportAndExit(error: unknown): never {
  process.stderr.write(`${errorLine(error)}\n`);
  if (error instanceof CommandError) process.exit(error.exitCode);
  // A use-case's refusal (invalid input, an unreadable feed for `sources add`) is the caller's to fix: 1,
  // with the same snake_case or FEED_* code the HTTP API answers with.
  if (isOperationError(error)) process.exit(1);
  // A feed that cannot be read and similar coded failures: 2, as `ingest --dry-run` promises.
  process.exit(error instanceof CodedError ? 2 : 1);
}
