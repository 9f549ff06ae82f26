import { Redis } from "ioredis";

/**
 * A Redis connection as BullMQ needs it: commands wait for a reconnect instead of failing,
 * so a Redis restart pauses the workers rather than crashing them.
 */
export function connectRedis(url: string): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: false });
  // ioredis reconnects by itself; without a listener an 'error' event would crash the process.
  redis.on("error", () => {});
  return redis;
}
