import { hostname } from "node:os";
import type { QueueName } from "./catalog.ts";
import type { RedisClient } from "./connection.ts";

/** A worker process seen alive on a queue. */
export interface WorkerHeartbeat {
  host: string;
  pid: number;
  /** ISO 8601, when it last wrote its heartbeat. */
  lastSeen: string;
}

const BEAT_EVERY_MS = 10_000;
/** Three missed beats and the worker is gone from the list: a crash shows within half a minute. */
const BEAT_TTL_MS = 30_000;

/** The set of one queue's heartbeat keys, so readers need no SCAN over the whole keyspace. */
function heartbeatIndex(prefix: string, queue: QueueName): string {
  return `${prefix}:heartbeats:${queue}`;
}

function heartbeatKey(prefix: string, queue: QueueName, host: string, pid: number): string {
  return `${prefix}:heartbeat:${queue}:${host}:${pid}`;
}

/**
 * Each worker process says "alive" per queue every 10 s on a key that expires after 30 s,
 * so a crashed process drops out of `/v1/queues` by itself. The keys are also listed in a set
 * per queue, which readers prune of expired keys.
 */
export function startHeartbeats(
  connection: RedisClient,
  prefix: string,
  queues: QueueName[],
  onError: (error: unknown) => void,
): { stop(): Promise<void> } {
  const host = hostname();
  const keys = queues.map((queue) => ({
    index: heartbeatIndex(prefix, queue),
    key: heartbeatKey(prefix, queue, host, process.pid),
  }));
  const beat = async () => {
    const value = JSON.stringify({ host, pid: process.pid, lastSeen: new Date().toISOString() });
    const pipeline = connection.pipeline();
    for (const { index, key } of keys) pipeline.set(key, value, "PX", BEAT_TTL_MS).sadd(index, key);
    await pipeline.exec();
  };
  // A missed beat is harmless (the next one comes in 10 s); it is reported, not thrown at the worker.
  const tick = () => void beat().catch(onError);
  tick();
  const timer = setInterval(tick, BEAT_EVERY_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      const pipeline = connection.pipeline();
      for (const { index, key } of keys) pipeline.del(key).srem(index, key);
      await pipeline.exec();
    },
  };
}

/** The live workers of one queue, from their unexpired heartbeats. */
export async function listWorkers(
  connection: RedisClient,
  prefix: string,
  queue: QueueName,
): Promise<WorkerHeartbeat[]> {
  const index = heartbeatIndex(prefix, queue);
  const keys = await connection.smembers(index);
  if (keys.length === 0) return [];
  const values = await connection.mget(...keys);
  const expired = keys.filter((_, at) => values[at] === null);
  if (expired.length > 0) await connection.srem(index, ...expired);
  return values
    .map((value) => (value ? parseHeartbeat(value) : undefined))
    .filter((beat): beat is WorkerHeartbeat => beat !== undefined)
    .sort((a, b) => a.host.localeCompare(b.host) || a.pid - b.pid);
}

function parseHeartbeat(value: string): WorkerHeartbeat | undefined {
  try {
    const parsed = JSON.parse(value) as Partial<WorkerHeartbeat>;
    if (typeof parsed.host !== "string" || typeof parsed.pid !== "number" || typeof parsed.lastSeen !== "string") {
      return undefined;
    }
    return { host: parsed.host, pid: parsed.pid, lastSeen: parsed.lastSeen };
  } catch {
    return undefined;
  }
}
