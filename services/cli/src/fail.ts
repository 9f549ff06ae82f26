import { CodedError } from "@babelwire/core";

/** A command failure: one line on stderr, then a non-zero exit. */
export class CommandError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export function reportAndExit(error: unknown): never {
  if (error instanceof CommandError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(error.exitCode);
  }
  if (error instanceof CodedError) {
    process.stderr.write(`${error.code}: ${error.message}\n`);
    process.exit(2);
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`babelwire: ${message.split("\n")[0]}\n`);
  process.exit(1);
}
