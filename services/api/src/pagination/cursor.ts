import { ApiError } from "../plugins/errors.ts";

/** A position in a list ordered by (time, id): where the last page ended. */
export interface Position {
  at: Date;
  id: string;
}

/** Opaque to clients: they hand back what they were given, nothing more. */
export function encodeCursor(at: Date, id: string): string {
  return Buffer.from(JSON.stringify([at.toISOString(), id])).toString("base64url");
}

export function decodeCursor(cursor: string): Position {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as [string, string];
    const date = new Date(at);
    if (Number.isNaN(date.getTime()) || typeof id !== "string") throw new Error("bad cursor");
    return { at: date, id };
  } catch {
    throw new ApiError(400, "invalid_request", "cursor is not one this API gave out", "cursor");
  }
}
