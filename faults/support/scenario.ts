import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Babelwire, babelwire } from "./babelwire.ts";
import { freePort } from "./free-port.ts";
import { createDatabase, type FreshDatabase } from "./postgres.ts";
import { type RedisServer, startRedis } from "./redis-server.ts";

export interface Scenario {
  dir: string;
  redis: RedisServer;
  database: FreshDatabase;
  babelwire: Babelwire;
  /** Stops whatever was started, in reverse order; safe to call after a failure half-way. */
  cleanup(): Promise<void>;
}

export interface ScenarioOptions {
  /** The URL Babelwire is given for its database, from the real one (such as through a proxy). */
  databaseUrl?: (database: FreshDatabase) => Promise<string> | string;
  env?: Record<string, string>;
}

/**
 * One fault's world: a scratch directory, a redis-server of its own, a fresh PostgreSQL
 * database and a `babelwire start` process configured against them (not yet started).
 */
export async function openScenario(options: ScenarioOptions = {}): Promise<Scenario> {
  const dir = mkdtempSync(join(tmpdir(), "babelwire-faults-"));
  // FAULTS_KEEP=1 keeps the scratch directory (logs, Redis AOF) to look at after a run.
  const keep = process.env.FAULTS_KEEP === "1";
  const stops: Array<() => Promise<void>> = [
    async () => (keep ? undefined : rmSync(dir, { recursive: true, force: true })),
  ];
  const cleanup = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => {});
  };
  try {
    const redis = await startRedis(dir);
    stops.push(() => redis.stop());
    const database = await createDatabase();
    if (!keep) stops.push(() => database.drop());
    const process_ = babelwire({
      dir,
      port: await freePort(),
      redisUrl: redis.url,
      databaseUrl: options.databaseUrl ? await options.databaseUrl(database) : database.url,
      ...(options.env && { env: options.env }),
    });
    stops.push(() => process_.kill("SIGKILL"));
    return { dir, redis, database, babelwire: process_, cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
