/**
 * An error with a stable code, given where the failure first appears and surfaced unchanged
 * wherever an operator meets it (a source's health, a failed job, the CLI).
 * `permanent` tells the job layer not to retry.
 */
export class CodedError extends Error {
  readonly code: string;
  readonly permanent: boolean;

  constructor(code: string, message: string, options: { cause?: unknown; permanent?: boolean } = {}) {
    super(message, { cause: options.cause });
    this.name = "CodedError";
    this.code = code;
    this.permanent = options.permanent ?? false;
  }
}

export function errorCode(error: unknown, fallback = "INTERNAL"): string {
  return error instanceof CodedError ? error.code : fallback;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
