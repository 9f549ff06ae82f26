import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { GiveUp, until } from "./until.ts";

/** A fixed admin token: the test sets it rather than reading it from the first start's output. */
export const ADMIN_TOKEN = "faults-admin-token-0123456789abcdef";

/** A Babelwire process a test starts, kills and starts again, as an operator's supervisor would. */
export interface GroupProcess {
  /** Starts the process (again) and waits until it answers /healthz. */
  start(): Promise<void>;
  /** Signals the whole process group (the process and any Apertium it runs) and waits for the exit. */
  kill(signal: NodeJS.Signals): Promise<void>;
  /** Throws GiveUp when the process has exited without being killed by the test: a finding, not a wait. */
  assertAlive(): void;
  /** The last lines every start of the process wrote, for a failing test's message. */
  logTail(lines: number): string;
}

/**
 * `node <args>` in its own process group (so a kill takes its children with it), its output
 * appended to `logFile`, started when asked and ready once `port` answers /healthz.
 */
export function groupProcess(options: {
  label: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  logFile: string;
  port: number;
  startTimeoutMs: number;
}): GroupProcess {
  const { label, logFile } = options;
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let killed = false;
  const logTail = (lines: number) => {
    try {
      return readFileSync(logFile, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
    } catch {
      return "(no log)";
    }
  };
  return {
    logTail,
    assertAlive() {
      if (child && !killed && (child.exitCode !== null || child.signalCode !== null)) {
        throw new GiveUp(`${label} exited (${child.exitCode ?? child.signalCode}) by itself:\n${logTail(30)}`);
      }
    },
    async start() {
      killed = false;
      const log = openSync(logFile, "a");
      const started = spawn(process.execPath, options.args, {
        cwd: options.cwd,
        env: options.env,
        detached: true,
        stdio: ["ignore", log, log],
      });
      closeSync(log);
      child = started;
      exited = new Promise((done) => started.once("exit", () => done()));
      await until(
        `${label} to answer /healthz`,
        async () => {
          if (started.exitCode !== null) throw new GiveUp(`${label} exited with ${started.exitCode}:\n${logTail(30)}`);
          const response = await fetch(`http://127.0.0.1:${options.port}/healthz`, {
            signal: AbortSignal.timeout(2000),
          });
          return response.ok ? true : undefined;
        },
        { timeoutMs: options.startTimeoutMs, last: () => logTail(5) },
      );
    },
    async kill(signal) {
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
  };
}

/** The admin's requests to an API, refused at once when `assertAlive` finds its process gone. */
export function adminApi(url: string, assertAlive: () => void) {
  return (path: string, init: RequestInit = {}) => {
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
}
