import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Config, parseConfig } from "@babelwire/config";
import { isCluster, type RedisClient } from "@babelwire/queue";

/**
 * A configuration for tests: throw-away embedded database, its own queue prefix on the
 * shared Redis (so test files never see each other's jobs), a random port, quiet logs.
 */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return parseConfig({
    DATABASE_URL: "memory://",
    DATA_DIR: mkdtempSync(join(tmpdir(), "babelwire-test-")),
    PORT: "0",
    LOG_LEVEL: "silent",
    QUEUE_PREFIX: `{bwtest-${randomBytes(4).toString("hex")}}`,
    REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    ...overrides,
  });
}

/** Deletes every Redis key under a test's queue prefix (on a cluster, SCAN runs per master). */
export async function clearQueuePrefix(redis: RedisClient, prefix: string): Promise<void> {
  for (const node of isCluster(redis) ? redis.nodes("master") : [redis]) {
    let cursor = "0";
    do {
      const [next, keys] = await node.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 500);
      if (keys.length > 0) await node.del(...keys);
      cursor = next;
    } while (cursor !== "0");
  }
}
