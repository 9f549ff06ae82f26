import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ADMIN_TOKEN, adminApi, groupProcess } from "./group-process.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const MAIN = join(ROOT, "services/cli/src/main.ts");
const TSX = new URL("../../node_modules/tsx/dist/loader.mjs", import.meta.url).href;

export interface BabelwireOptions {
  /** Scratch directory: the process's cwd (so no .env or config/sources.yaml is read), DATA_DIR and logs. */
  dir: string;
  port: number;
  redisUrl: string;
  databaseUrl: string;
  env?: Record<string, string>;
}

export interface Babelwire {
  url: string;
  /** Starts the all-in-one process (again) and waits until its API answers /healthz. */
  start(): Promise<void>;
  /** Signals the whole process group (the process and any Apertium it runs) and waits for the exit. */
  kill(signal: NodeJS.Signals): Promise<void>;
  /** Throws GiveUp when the process has exited without being killed by the test. */
  assertAlive(): void;
  /** The last lines every start of the process wrote, for a failing test's message. */
  logTail(lines?: number): string;
  api(path: string, init?: RequestInit): Promise<Response>;
}

/**
 * `babelwire start` as an operator runs it, one real process: API, every worker and the poll
 * scheduler. It runs in its own process group, so a kill takes its children with it.
 */
export function babelwire(options: BabelwireOptions): Babelwire {
  const url = `http://127.0.0.1:${options.port}`;
  const env = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: process.env.HOME ?? options.dir,
    DATA_DIR: join(options.dir, "data"),
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: options.redisUrl,
    QUEUE_PREFIX: "{faults}",
    HOST: "127.0.0.1",
    PORT: String(options.port),
    TARGET_LANGUAGES: "es,ca",
    ADMIN_TOKEN,
    LOG_LEVEL: "info",
    ...options.env,
  };

  const process_ = groupProcess({
    label: "babelwire",
    args: ["--import", TSX, MAIN, "start"],
    cwd: options.dir,
    env,
    logFile: join(options.dir, "babelwire.log"),
    port: options.port,
    startTimeoutMs: 60_000,
  });
  return {
    url,
    api: adminApi(url, process_.assertAlive),
    assertAlive: process_.assertAlive,
    start: process_.start,
    kill: process_.kill,
    logTail: (lines = 40) => process_.logTail(lines),
  };
}
