import { type ChildProcess, execFile, spawn } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { redisAnswers } from "../../faults/support/redis-server.ts";
import { until } from "../../faults/support/until.ts";

const run = promisify(execFile);

/** The ports this suite owns on loopback: three masters and three replicas. Nothing else uses them. */
export const CLUSTER_PORTS = [7100, 7101, 7102, 7103, 7104, 7105] as const;

/**
 * How long a master may be silent before the others fail it over. Redis's default (15 s) would
 * make a failover test wait that long; 2 s on loopback is the same mechanism, sooner.
 */
const NODE_TIMEOUT_MS = 2000;

export interface ClusterNode {
  port: number;
  dir: string;
}

/** `127.0.0.1:7100,…`: the REDIS_CLUSTER_NODES an operator would set. */
export const CLUSTER_NODES = CLUSTER_PORTS.map((port) => `127.0.0.1:${port}`).join(",");

function nodeDir(root: string, port: number): string {
  return join(root, String(port));
}

/**
 * The settings README asks of a production cluster, plus this machine's: loopback, one port,
 * files under the node's own directory. AOF on and `noeviction`: queue keys must never vanish.
 */
function nodeConfig(port: number, dir: string): string {
  return [
    `port ${port}`,
    "bind 127.0.0.1",
    "cluster-enabled yes",
    "cluster-config-file nodes.conf",
    `cluster-node-timeout ${NODE_TIMEOUT_MS}`,
    "appendonly yes",
    "appendfsync everysec",
    "maxmemory-policy noeviction",
    'save ""',
    `dir ${dir}`,
    `pidfile ${join(dir, "redis.pid")}`,
    "daemonize no",
    "",
  ].join("\n");
}

/** Starts one node from its directory (again, after a kill: it rejoins as its config file says). */
export async function startNode(root: string, port: number): Promise<ChildProcess> {
  const dir = nodeDir(root, port);
  mkdirSync(dir, { recursive: true });
  const conf = join(dir, "redis.conf");
  if (!existsSync(conf)) writeFileSync(conf, nodeConfig(port, dir));
  const log = openSync(join(dir, "redis.log"), "a");
  const child = spawn("redis-server", [conf], { stdio: ["ignore", log, log] });
  closeSync(log);
  await until(`redis-server on port ${port}`, async () => ((await redisAnswers(port)) ? true : undefined), {
    timeoutMs: 15_000,
    everyMs: 50,
    last: () => readFileSync(join(dir, "redis.log"), "utf8").slice(-500),
  });
  return child;
}

/** The pid a node wrote to its pidfile, if it is running. */
export function nodePid(root: string, port: number): number | undefined {
  try {
    const pid = Number(readFileSync(join(nodeDir(root, port), "redis.pid"), "utf8").trim());
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

export async function redisCli(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run("redis-cli", ["-h", "127.0.0.1", "-p", String(port), ...args]);
  return stdout.trim();
}

/** `cluster_state` as one node sees it, or "down" when it does not answer. */
export async function clusterState(port: number): Promise<string> {
  const info = await redisCli(port, "cluster", "info").catch(() => "");
  return /cluster_state:(\w+)/.exec(info)?.[1] ?? "down";
}

/**
 * Six nodes on ports 7100–7105 under `root`, joined by `redis-cli --cluster create` into three
 * masters with one replica each, ready when every node says `cluster_state:ok`. Refuses to start
 * when any of the ports already answers: that is someone else's Redis (or a leftover to clear).
 */
export async function startCluster(root: string): Promise<void> {
  for (const port of CLUSTER_PORTS) {
    if (await redisAnswers(port)) throw new Error(`something already answers on 127.0.0.1:${port}; stop it first`);
  }
  await Promise.all(CLUSTER_PORTS.map((port) => startNode(root, port)));
  await run("redis-cli", [
    "--cluster",
    "create",
    ...CLUSTER_PORTS.map((port) => `127.0.0.1:${port}`),
    "--cluster-replicas",
    "1",
    "--cluster-yes",
  ]);
  await until(
    "every cluster node to report cluster_state:ok",
    async () => {
      const states = await Promise.all(CLUSTER_PORTS.map(clusterState));
      return states.every((state) => state === "ok") ? true : undefined;
    },
    { timeoutMs: 60_000, everyMs: 200 },
  );
  // A replica whose first sync has not finished cannot take over: killing its master then left
  // it "disconnected from master for longer than allowed", and the slot had no master at all.
  await until(
    "every replica to finish its first sync with its master",
    async () => {
      const links = await Promise.all(CLUSTER_PORTS.map(replicaLink));
      return links.every((link) => link === "master" || link === "up") ? true : undefined;
    },
    { timeoutMs: 60_000, everyMs: 200 },
  );
}

/** "master" for a master; a replica's `master_link_status` (`up` once synced with its master). */
async function replicaLink(port: number): Promise<string> {
  const info = await redisCli(port, "info", "replication").catch(() => "");
  if (/^role:master/m.test(info)) return "master";
  return /^master_link_status:(\w+)/m.exec(info)?.[1] ?? "down";
}

/** Kills every node of the cluster under `root` (those the test restarted too), by the pid each wrote. */
export async function stopCluster(root: string): Promise<void> {
  const pids = CLUSTER_PORTS.map((port) => nodePid(root, port)).filter((pid): pid is number => pid !== undefined);
  for (const pid of pids) process.kill(pid, "SIGKILL");
  await until("every cluster node to exit", () => (pids.every((pid) => !alive(pid)) ? true : undefined), {
    timeoutMs: 10_000,
    everyMs: 50,
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The master that serves a key's slot (such as the `{babelwire}` tag's), as `CLUSTER NODES` says. */
export async function masterOfSlot(slot: number): Promise<{ port: number; id: string }> {
  let nodes = "";
  for (const port of CLUSTER_PORTS) {
    nodes = await redisCli(port, "cluster", "nodes").catch(() => "");
    if (nodes) break;
  }
  for (const line of nodes.split("\n")) {
    const [id, address, flags, , , , , , ...ranges] = line.split(" ");
    if (!id || !address || !flags?.includes("master") || flags.includes("fail")) continue;
    for (const range of ranges) {
      const [from, to = from] = range.split("-").map(Number);
      if (from !== undefined && to !== undefined && slot >= from && slot <= to) {
        return { port: Number(address.split(":")[1]?.split("@")[0]), id };
      }
    }
  }
  throw new Error(`no live master serves slot ${slot}:\n${nodes}`);
}
