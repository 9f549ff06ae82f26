import { type ChildProcess, execFile, spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { ADMIN_TOKEN, type Babelwire } from "../../faults/support/babelwire.ts";
import { freePort } from "../../faults/support/free-port.ts";
import { GiveUp, until } from "../../faults/support/until.ts";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Builds the services (scripts/build.mjs) unless the last build is newer than every source. */
export async function buildIfNeeded(): Promise<void> {
  await run(process.execPath, [join(ROOT, "scripts/build.mjs"), "--if-needed"], { cwd: ROOT, timeout: 300_000 });
}

export type ServiceName = "api" | "ingestor" | "publisher" | "summarizer" | "translator";

/** One service process as README's "Many machines" tells operators to run it. */
export interface ServiceProcess {
  /** `translator-2` when there are several of a service. */
  label: string;
  /** Its HTTP port: the API's, or a worker's /healthz, /readyz and /metrics. */
  port: number;
  start(): Promise<void>;
  /** Signals the whole process group (the process and any Apertium it runs) and waits for the exit. */
  kill(signal: NodeJS.Signals): Promise<void>;
  /** True while it runs, or when the test killed it; false when it exited by itself. */
  healthy(): boolean;
  logTail(lines?: number): string;
  /** Ids of the jobs it has started and not yet finished or failed, from its log lines. */
  jobsInFlight(): string[];
}

/** `node services/cli/dist/<name>.js` (built; see buildIfNeeded) in its own process group, its output in `<dir>/<label>.log`. */
export async function serviceProcess(
  name: ServiceName,
  label: string,
  options: { dir: string; env: Record<string, string> },
): Promise<ServiceProcess> {
  const port = await freePort();
  const logFile = join(options.dir, `${label}.log`);
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let killed = false;
  const env = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: process.env.HOME ?? options.dir,
    HOST: "127.0.0.1",
    PORT: String(port),
    ADMIN_TOKEN,
    // Job start and finish lines are at debug: the test reads them to know which jobs a process holds.
    LOG_LEVEL: "debug",
    ...options.env,
  };
  const logTail = (lines = 20) => {
    try {
      return readFileSync(logFile, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
    } catch {
      return "(no log)";
    }
  };
  const jobsInFlight = () => {
    const running = new Set<string>();
    let text = "";
    try {
      text = readFileSync(logFile, "utf8");
    } catch {
      return [];
    }
    for (const line of text.split("\n")) {
      if (!line.startsWith("{")) continue;
      const entry = JSON.parse(line) as { msg?: string; jobId?: string };
      if (!entry.jobId) continue;
      if (entry.msg === "job started") running.add(entry.jobId);
      else if (entry.msg === "job finished" || entry.msg === "job failed") running.delete(entry.jobId);
    }
    return [...running];
  };
  const service: ServiceProcess = {
    label,
    port,
    logTail,
    jobsInFlight,
    healthy: () => killed || !child || (child.exitCode === null && child.signalCode === null),
    async start() {
      killed = false;
      const log = openSync(logFile, "a");
      const started = spawn(process.execPath, [join(ROOT, `services/cli/dist/${name}.js`)], {
        cwd: options.dir,
        env,
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
          const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2000) });
          return response.ok ? true : undefined;
        },
        { timeoutMs: 120_000, last: () => logTail(5) },
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
  return service;
}

/** Every service of a deployment, and what the faults suite's pipeline helpers ask of "Babelwire". */
export interface Deployment extends Babelwire {
  services: ServiceProcess[];
  service(label: string): ServiceProcess;
  /** SIGTERM to every process, SIGKILL to any still there after 20 s. */
  stop(): Promise<void>;
}

/**
 * The services apart, each its own process on the same Redis and PostgreSQL: API, ingestor,
 * publisher, summarizer and `translators` translators. The API starts first (so its migrations
 * and admin token are in place), the workers then together.
 */
export async function deploy(options: {
  dir: string;
  env: Record<string, string>;
  translators: number;
}): Promise<Deployment> {
  const api = await serviceProcess("api", "api", options);
  const workers = await Promise.all([
    serviceProcess("ingestor", "ingestor", options),
    serviceProcess("publisher", "publisher", options),
    serviceProcess("summarizer", "summarizer", options),
    ...Array.from({ length: options.translators }, (_, index) =>
      serviceProcess("translator", `translator-${index + 1}`, options),
    ),
  ]);
  const services = [api, ...workers];
  const url = `http://127.0.0.1:${api.port}`;
  const assertAlive = () => {
    const dead = services.find((service) => !service.healthy());
    if (dead) throw new GiveUp(`${dead.label} exited by itself:\n${dead.logTail(30)}`);
  };
  const deployment: Deployment = {
    url,
    services,
    service(label) {
      const found = services.find((service) => service.label === label);
      if (!found) throw new Error(`no service ${label}`);
      return found;
    },
    assertAlive,
    async start() {
      await api.start();
      await Promise.all(workers.map((worker) => worker.start()));
    },
    async kill(signal) {
      await Promise.all(services.map((service) => service.kill(signal)));
    },
    async stop() {
      const forced = setTimeout(() => void deployment.kill("SIGKILL"), 20_000);
      await deployment.kill("SIGTERM");
      clearTimeout(forced);
    },
    logTail(lines = 8) {
      return services.map((service) => `--- ${service.label}\n${service.logTail(lines)}`).join("\n");
    },
    api(path, init = {}) {
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
    },
  };
  return deployment;
}
