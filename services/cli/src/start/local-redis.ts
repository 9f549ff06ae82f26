import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { Redis } from "ioredis";

async function answers(url: string): Promise<boolean> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on("error", () => {});
  try {
    await redis.connect();
    return (await redis.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

/**
 * `npm start` should work on a machine where Redis is installed but not running: when nothing
 * answers at a loopback REDIS_URL, start a `redis-server` of our own with its data under
 * DATA_DIR (AOF on, never evicting queue keys). Returns the child to stop, if one was started.
 */
export async function ensureRedis(url: string, dataDir: string): Promise<ChildProcess | undefined> {
  if (await answers(url)) return undefined;
  const parsed = new URL(url);
  if (!["127.0.0.1", "localhost", "[::1]"].includes(parsed.hostname)) {
    throw new Error(`Redis does not answer at ${parsed.host}; start it or set REDIS_URL`);
  }
  const dir = resolve(dataDir, "redis");
  mkdirSync(dir, { recursive: true });
  const port = parsed.port || "6379";
  const child = spawn(
    "redis-server",
    [
      "--port",
      port,
      "--bind",
      "127.0.0.1",
      "--dir",
      dir,
      "--appendonly",
      "yes",
      "--maxmemory-policy",
      "noeviction",
      "--save",
      "",
    ],
    { stdio: "ignore" },
  );
  const failed = new Promise<never>((_, reject) => {
    child.once("error", () =>
      reject(new Error("Redis does not answer and redis-server is not installed: apt-get install redis-server")),
    );
    child.once("exit", (code) => reject(new Error(`redis-server exited with code ${code}`)));
  });
  for (let tries = 0; tries < 50; tries++) {
    await Promise.race([new Promise((done) => setTimeout(done, 100)), failed]);
    if (await answers(url)) return child;
  }
  child.kill();
  throw new Error("redis-server did not start within 5 s");
}
