import type { Config } from "@babelwire/config";
import { connectRedis, createQueues, type Queues, redisTarget } from "@babelwire/queue";

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
