import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { GiveUp, until } from "./until.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const MAIN = join(ROOT, "services/cli/src/main.ts");
const TSX = new URL("../../node_modules/tsx/dist/loader.mjs", import.meta.url).href;

/** A fixed admin token: the test sets it rather than reading it from the first start's output. */
export const ADMIN_TOKEN = "faults-admin-token-0123456789abcdef";

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
  const logFile = join(options.dir, "babelwire.log");
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
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

  let killed = false;
  /** A process that died on its own is a finding: stop waiting on it and show why. */
  const assertAlive = () => {
    if (child && !killed && (child.exitCode !== null || child.signalCode !== null)) {
      throw new GiveUp(`babelwire exited (${child.exitCode ?? child.signalCode}) by itself:\n${process_.logTail(30)}`);
    }
  };

  const api = (path: string, init: RequestInit = {}) => {
    assertAlive();
    return fetch(`${url}${path}`, {
      ...init,
      signal: init.signal ?? AbortSignal.timeout(10_000),
      headers: {
        authorization: `Bearer ${ADMIN_TOKEN}`,
        ...(init.body !== undefined && { "content-type": "application/json" }),
        ...init.headers,
      },
    });
  };

  const process_ = {
    url,
    api,
    assertAlive,
    async start() {
      killed = false;
      const log = openSync(logFile, "a");
      const started = spawn(process.execPath, ["--import", TSX, MAIN, "start"], {
        cwd: options.dir,
        env,
        detached: true,
        stdio: ["ignore", log, log],
      });
      closeSync(log);
      child = started;
      exited = new Promise((done) => started.once("exit", () => done()));
      await until(
        "babelwire to answer /healthz",
        async () => {
          if (started.exitCode !== null) {
            throw new GiveUp(`babelwire exited with ${started.exitCode}:\n${process_.logTail(30)}`);
          }
          const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
          return response.ok ? true : undefined;
        },
        { timeoutMs: 60_000, last: () => process_.logTail(5) },
      );
    },
    async kill(signal: NodeJS.Signals) {
      const running = child;
      if (!running?.pid || running.exitCode !== null || running.signalCode !== null) return;
      killed = true;
      try {
        process.kill(-running.pid, signal);
      } catch {
        return;
      }
      await exited;
    },
    logTail(lines = 40) {
      try {
        return readFileSync(logFile, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
      } catch {
        return "(no log)";
      }
    },
  };
  return process_;
}
