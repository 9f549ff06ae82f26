import { describe, expect, it } from "vitest";
import { decodeCursor, type Position } from "./cursor.ts";
import { readPage } from "./page.ts";

/** Five rows, newest first, as a list ordered by (time, id) reads them. */
const ROWS = [5, 4, 3, 2, 1].map((n) => ({ at: new Date(Date.UTC(2026, 0, n)), id: `row-${n}` }));

async function read(limit: number, before: Position | undefined) {
  const rest = before ? ROWS.filter((row) => row.at < before.at) : ROWS;
  return rest.slice(0, limit);
}

describe("readPage", () => {
  it("walks a list page by page to its end, every row once, the last page's cursor null", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await readPage({ cursor, limit: 2 }, read, (row) => row);
      seen.push(...page.rows.map((row) => row.id));
      cursor = page.nextCursor ?? undefined;
      pages += 1;
    } while (cursor);
    expect(seen).toEqual(["row-5", "row-4", "row-3", "row-2", "row-1"]);
    expect(pages).toBe(3);
  });

  it("gives no cursor when the rows left fill the page exactly, rather than one to an empty page", async () => {
    const first = await readPage({ limit: 3 }, read, (row) => row);
    expect(first.nextCursor).not.toBeNull();
    expect(decodeCursor(first.nextCursor ?? "")).toEqual({ at: ROWS[2]?.at, id: "row-3" });
    const last = await readPage({ cursor: first.nextCursor ?? undefined, limit: 2 }, read, (row) => row);
    expect(last.rows.map((row) => row.id)).toEqual(["row-2", "row-1"]);
    expect(last.nextCursor).toBeNull();
  });
});
