import { createHash, randomUUID } from "node:crypto";

export function newId(): string {
  return randomUUID();
}

/** A stable hex digest of text, for content hashes and derived keys. */
export function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/**
 * Job ids are derived from what the job does, so enqueueing the same work twice is a no-op.
 * BullMQ forbids ':' in custom ids, hence the '.' separator.
 */
export function jobId(kind: string, ...parts: Array<string | number>): string {
  return [kind, ...parts].join(".");
}
