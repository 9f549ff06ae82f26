import type { PGlite } from "@electric-sql/pglite";
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from "kysely";

type Command = PostgresQueryResult<unknown>["command"];

function commandOf(sql: string): Command {
  const word = /^\s*(?:with\b[\s\S]*?\)\s*)?(\w+)/i.exec(sql)?.[1]?.toUpperCase();
  return word === "INSERT" || word === "UPDATE" || word === "DELETE" || word === "MERGE" ? word : "SELECT";
}

/**
 * Presents embedded PGlite as the pool Kysely's PostgresDialect expects, so one query layer
 * serves both PGlite and a PostgreSQL server. PGlite has a single connection: `connect`
 * hands it out to one holder at a time, which keeps a transaction's statements together.
 */
export function pglitePool(pglite: PGlite): PostgresPool {
  let tail: Promise<void> = Promise.resolve();

  // Kysely never asks this pool for streaming cursors, so only the (sql, parameters) form exists.
  const client = (release: () => void) =>
    ({
      async query(sql: string, parameters: ReadonlyArray<unknown>) {
        const result = await pglite.query(sql, parameters as unknown[]);
        return { command: commandOf(sql), rowCount: result.affectedRows ?? result.rows.length, rows: result.rows };
      },
      release,
    }) as unknown as PostgresPoolClient;

  return {
    connect() {
      let release: () => void = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      const ready = tail.then(() => client(release));
      tail = tail.then(() => held);
      return ready;
    },
    async end() {
      await tail;
      await pglite.close();
    },
  };
}
