import { CodedError } from "@babelwire/core";

/**
 * A use-case's refusal: a stable snake_case code (`invalid_request`, `source_exists`, …, or a
 * would-be source's `FEED_*`) and the input field at fault. It says nothing of HTTP or exit codes:
 * the API's errors plugin and the CLI's fail.ts each turn it into their own answer.
 */
export class OperationError extends CodedError {
  constructor(
    code: string,
    message: string,
    readonly field?: string,
    options: { cause?: unknown } = {},
  ) {
    super(code, message, options);
    this.name = "OperationError";
  }
}
