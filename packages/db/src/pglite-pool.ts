import type { PGlite } from "@electric-sql/pglite";
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from "kysely";
import { createLease, type Lease } from "./lease.ts";

type Command = PostgresQueryResult<unknown>["command"];

function commandOf(sql: string): Command {
  const word = /^\s*(?:with\b[\s\S]*?\)\s*)?(\w+)/i.exec(sql)?.[1]?.toUpperCase();
  return word === "INSERT" || word === "UPDATE" || word === "DELETE" || word === "MERGE" ? word : "SELECT";
}

/**
 * Presents embedded PGlite as the pool Kysely's PostgresDialect expects, so one query layer
 * serves both PGlite and a PostgreSQL server. PGlite has a single connection: `connect`
 * hands it to one holder at a time (through `lease`, which the embedded socket server shares),
 * which keeps a transaction's statements together.
 */
export function pglitePool(pglite: PGlite, lease: Lease = createLease()): PostgresPool {
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
    async connect() {
      return client(await lease.acquire());
    },
    async end() {
      const release = await lease.acquire();
      await pglite.close();
      release();
    },
  };
}
