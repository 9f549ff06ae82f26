import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { Babelwire } from "../../faults/support/babelwire.ts";
import { freePort } from "../../faults/support/free-port.ts";
import { ADMIN_TOKEN, adminApi, groupProcess } from "../../faults/support/group-process.ts";

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
  /** Throws GiveUp when it has exited without being killed by the test. */
  assertAlive(): void;
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
  const process_ = groupProcess({
    label,
    args: [join(ROOT, `services/cli/dist/${name}.js`)],
    cwd: options.dir,
    env,
    logFile,
    port,
    startTimeoutMs: 120_000,
  });
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
    start: process_.start,
    kill: process_.kill,
    assertAlive: process_.assertAlive,
    logTail: (lines = 20) => process_.logTail(lines),
    jobsInFlight,
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
    for (const service of services) service.assertAlive();
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
    api: adminApi(url, assertAlive),
  };
  return deployment;
}
