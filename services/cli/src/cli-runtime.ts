import { type Config, ConfigError, loadConfig } from "@babelwire/config";
import { type Db, migrate, openDatabase } from "@babelwire/db";
import { connectRedis, createQueues, type Queues, redisTarget } from "@babelwire/queue";
import { CommandError } from "./fail.ts";

export function cliConfig(overrides: Record<string, string> = {}): Config {
  try {
    return loadConfig(overrides);
  } catch (error) {
    if (error instanceof ConfigError) throw new CommandError(error.message, 2, "CONFIG_INVALID");
    throw error;
  }
}

/** Runs `work` with a migrated database, and closes it whatever happens. */
export async function withDatabase<T>(
  work: (db: Db, config: Config) => Promise<T>,
  overrides: Record<string, string> = {},
): Promise<T> {
  const config = cliConfig(overrides);
  const db = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR });
  try {
    await migrate(db);
    return await work(db, config);
  } finally {
    await db.destroy();
  }
}

/**
 * Queues for a one-shot command: unlike a worker, a command must not wait forever for Redis.
 * Returns undefined when Redis does not answer; the ingestor re-creates poll schedules from
 * the database when it starts (and every few minutes), so nothing is lost.
 */
export async function tryQueues(config: Config): Promise<{ queues: Queues; close(): Promise<void> } | undefined> {
  // Not reaching Redis is this function's answer (undefined), so its errors need no log line.
  const redis = connectRedis(redisTarget(config), { failFast: true });
  try {
    await redis.connect();
  } catch {
    redis.disconnect();
    return undefined;
  }
  const queues = createQueues(redis, config.QUEUE_PREFIX);
  return {
    queues,
    async close() {
      await queues.close();
      await redis.quit();
    },
  };
}
