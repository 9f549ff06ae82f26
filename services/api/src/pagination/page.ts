import { decodeCursor, encodeCursor, type Position } from "./cursor.ts";

/** The querystring of a paged list: the cursor it gave out, and how many items a page holds. */
export function pageQuery(limit: { default: number; maximum: number }) {
  return {
    cursor: { type: "string", maxLength: 500, description: "`nextCursor` of the previous page, as given" },
    limit: { type: "integer", minimum: 1, ...limit },
  } as const;
}

/** A list's answer (docs/contract.md): its `items`, and `nextCursor`, null on the last page. */
export function pageSchema<Item>(item: Item) {
  return {
    type: "object",
    properties: { items: { type: "array", items: item }, nextCursor: { type: ["string", "null"] } },
    required: ["items", "nextCursor"],
  } as const;
}

/** A list answered whole: `items` only. */
export function listSchema<Item>(item: Item) {
  return { type: "object", properties: { items: { type: "array", items: item } } } as const;
}

/**
 * One page of a list ordered by (time, id), after the cursor when one is given. `read` is asked
 * for one row more than the page holds: that row only tells that another page follows, so the
 * last page says so (`nextCursor` null) instead of pointing to an empty one.
 */
export async function readPage<Row>(
  query: { cursor?: string | undefined; limit: number },
  read: (limit: number, after: Position | undefined) => Promise<Row[]>,
  positionOf: (row: Row) => Position,
): Promise<{ rows: Row[]; nextCursor: string | null }> {
  const rows = await read(query.limit + 1, query.cursor ? decodeCursor(query.cursor) : undefined);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const next = rows.length > query.limit && last ? positionOf(last) : undefined;
  return { rows: page, nextCursor: next ? encodeCursor(next.at, next.id) : null };
}
