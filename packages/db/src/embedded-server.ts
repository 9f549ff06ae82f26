import { existsSync, mkdirSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { join, resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

/** node-postgres finds a server's Unix socket as `<dir>/.s.PGSQL.<port>`. */
const SOCKET_NAME = ".s.PGSQL.5432";

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

export interface EmbeddedServer {
  socketDir: string;
  stop(): Promise<void>;
}

/**
 * Serves the embedded database on a Unix socket under DATA_DIR. PGlite admits one process;
 * the all-in-one process owns it and every client (its own pool and any `pnpm babelwire`
 * command run beside it) speaks the PostgreSQL protocol through this socket, where
 * pglite-socket queues queries and keeps each client's transaction whole.
 */
export async function serveEmbedded(dataDir: string): Promise<EmbeddedServer> {
  if (await embeddedServerAnswers(dataDir)) {
    throw new Error(`another Babelwire process already serves the database in ${resolve(dataDir, "db")}`);
  }
  const dbDir = resolve(dataDir, "db");
  const socketDir = embeddedSocketDir(dataDir);
  mkdirSync(dbDir, { recursive: true });
  mkdirSync(socketDir, { recursive: true });
  const pglite = await PGlite.create(dbDir);
  const server = new PGLiteSocketServer({ db: pglite, path: join(socketDir, SOCKET_NAME), maxConnections: 64 });
  await server.start();
  return {
    socketDir,
    async stop() {
      await server.stop();
      await pglite.close();
      rmSync(join(socketDir, SOCKET_NAME), { force: true });
    },
  };
}
