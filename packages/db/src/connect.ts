import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { embeddedServerAnswers, embeddedSocketDir } from "./embedded-server.ts";
import { pglitePool } from "./pglite-pool.ts";
import type { Schema } from "./schema.ts";

export type Db = Kysely<Schema>;

export interface DatabaseTarget {
  /** `postgres://…`, `memory://`, or undefined for embedded PGlite under `dataDir`. */
  url?: string | undefined;
  dataDir: string;
}

function postgresPool(config: pg.PoolConfig): Kysely<Schema> {
  const pool = new pg.Pool({ max: 10, connectionTimeoutMillis: 5000, ...config });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on("error", () => {});
  // Nor may a checked-out one: pg fails its queries and then emits `error` on the client, which
  // with no listener kills the process. The queries' callers see the failure, and the pool
  // drops the dead client when it is released.
  pool.on("connect", (client) => client.on("error", () => {}));
  return new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
}

export function describeDatabase(target: DatabaseTarget): string {
  if (target.url?.startsWith("postgres")) return target.url.replace(/\/\/[^@/]*@/, "//***@");
  if (target.url === "memory://") return "embedded PGlite (in memory)";
  return `embedded PGlite (${resolve(target.dataDir, "db")})`;
}

/** Opens the store of record: a PostgreSQL server when given its URL, otherwise embedded PGlite. */
export async function openDatabase(target: DatabaseTarget): Promise<Db> {
  if (target.url?.startsWith("postgres")) return postgresPool({ connectionString: target.url });
  if (target.url === "memory://") {
    return new Kysely<Schema>({ dialect: new PostgresDialect({ pool: pglitePool(await PGlite.create()) }) });
  }
  // The embedded database is served by a running Babelwire: go through its socket. Each
  // connection holds the whole database while open, so one connection, closed when idle.
  if (await embeddedServerAnswers(target.dataDir)) {
    return postgresPool({
      host: embeddedSocketDir(target.dataDir),
      user: "postgres",
      database: "postgres",
      max: 1,
      idleTimeoutMillis: 100,
    });
  }
  const dir = resolve(target.dataDir, "db");
  mkdirSync(dir, { recursive: true });
  const pglite = await PGlite.create(dir);
  return new Kysely<Schema>({ dialect: new PostgresDialect({ pool: pglitePool(pglite) }) });
}
