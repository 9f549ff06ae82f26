import { existsSync, mkdirSync, rmSync } from "node:fs";
import { connect, createServer, type Socket } from "node:net";
import { join, resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketHandler } from "@electric-sql/pglite-socket";
import { Kysely, PostgresDialect } from "kysely";
import { createLease } from "./lease.ts";
import { pglitePool } from "./pglite-pool.ts";
import type { Schema } from "./schema.ts";

/** node-postgres finds a server's Unix socket as `<dir>/.s.PGSQL.<port>`. */
const SOCKET_NAME = ".s.PGSQL.5432";
/** A command left idle this long loses its connection, so it cannot hold the database forever. */
const CLIENT_IDLE_MS = 30_000;

export function embeddedSocketDir(dataDir: string): string {
  return resolve(dataDir, "db-socket");
}

/** Whether a running Babelwire already serves the embedded database of this DATA_DIR. */
export async function embeddedServerAnswers(dataDir: string): Promise<boolean> {
  const path = join(embeddedSocketDir(dataDir), SOCKET_NAME);
  if (!existsSync(path)) return false;
  const alive = await new Promise<boolean>((done) => {
    const socket = connect(path);
    socket.once("connect", () => {
      socket.destroy();
      done(true);
    });
    socket.once("error", () => done(false));
  });
  // A socket file left by a killed process answers nothing: clear it so the next server can bind.
  if (!alive) rmSync(path, { force: true });
  return alive;
}

/**
 * The one query stream a socket client gets. pglite-socket's own server multiplexes clients
 * message by message, which lets one client's Parse/Bind/Execute interleave with another's
 * (seen here as "bind message supplies 12 parameters, but prepared statement requires 1");
 * we give each client the whole database for its connection instead.
 */
function exclusiveQueue(pglite: PGlite) {
  return {
    enqueue: (_handler: number, message: Uint8Array, onData: (data: Uint8Array) => void) =>
      pglite.runExclusive(async () => {
        let bytes = 0;
        await pglite.execProtocolRawStream(message, {
          onRawData: (data: Uint8Array) => {
            bytes += data.length;
            onData(data);
          },
        });
        return bytes;
      }),
    clearQueueForHandler: () => {},
    clearTransactionIfNeeded: async () => {
      if (pglite.isInTransaction()) await pglite.exec("ROLLBACK");
    },
    getQueueLength: () => 0,
  };
}

export interface EmbeddedServer {
  db: Kysely<Schema>;
  stop(): Promise<void>;
}

/**
 * Opens the embedded database of DATA_DIR and serves it on a Unix socket there. PGlite admits
 * one process: this one owns it and queries it directly, while any `pnpm babelwire` command
 * run beside it speaks the PostgreSQL protocol through the socket. Both take turns through one
 * lease, a socket client holding it for its whole (short) connection.
 */
export async function serveEmbedded(dataDir: string): Promise<EmbeddedServer> {
  if (await embeddedServerAnswers(dataDir)) {
    throw new Error(`another Babelwire process already serves the database in ${resolve(dataDir, "db")}`);
  }
  const dbDir = resolve(dataDir, "db");
  const socketDir = embeddedSocketDir(dataDir);
  const socketPath = join(socketDir, SOCKET_NAME);
  mkdirSync(dbDir, { recursive: true });
  mkdirSync(socketDir, { recursive: true });
  const pglite = await PGlite.create(dbDir);
  const lease = createLease();
  const queryQueue = exclusiveQueue(pglite);
  const sockets = new Set<Socket>();

  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    lease.acquire().then(async (release) => {
      socket.once("close", release);
      if (socket.destroyed) return release();
      const handler = new PGLiteSocketHandler({
        // Our queue keeps the handler's contract; the class type only differs in private fields.
        queryQueue: queryQueue as unknown as ConstructorParameters<typeof PGLiteSocketHandler>[0]["queryQueue"],
        closeOnDetach: true,
        idleTimeout: CLIENT_IDLE_MS,
      });
      await handler.attach(socket);
    });
  });
  await new Promise<void>((done, fail) => {
    server.once("error", fail);
    server.listen(socketPath, done);
  });

  return {
    db: new Kysely<Schema>({ dialect: new PostgresDialect({ pool: pglitePool(pglite, lease) }) }),
    async stop() {
      await new Promise<void>((done) => {
        server.close(() => done());
        for (const socket of sockets) socket.destroy();
      });
      rmSync(socketPath, { force: true });
    },
  };
}
