import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { CLUSTER_PORTS, nodePid, startCluster, stopCluster } from "./redis-cluster.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** The directory holding each cluster node's config, AOF and log (`<root>/<port>/`). */
    clusterRoot: string;
  }
}

/**
 * One Redis Cluster for the whole suite (its ports are fixed, so there can be only one): started
 * before the first file, stopped after the last, whether the tests passed or not.
 */
export default async function setup(project: TestProject) {
  const root = mkdtempSync(join(tmpdir(), "babelwire-cluster-"));
  // An interrupted run (Ctrl-C) must not leave six redis-servers holding the suite's ports.
  const killNow = () => {
    for (const port of CLUSTER_PORTS) {
      const pid = nodePid(root, port);
      if (pid) process.kill(pid, "SIGKILL");
    }
  };
  process.once("exit", killNow);
  try {
    await startCluster(root);
  } catch (error) {
    killNow();
    throw error;
  }
  project.provide("clusterRoot", root);
  return async () => {
    await stopCluster(root).catch(killNow);
    process.off("exit", killNow);
    // CLUSTER_KEEP=1 keeps the nodes' logs and AOF to look at after a run.
    if (process.env.CLUSTER_KEEP !== "1") rmSync(root, { recursive: true, force: true });
  };
}
