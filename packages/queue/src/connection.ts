import { Cluster, Redis, type RedisOptions } from "ioredis";

/** A single Redis or a Redis Cluster: every command Babelwire sends works on both. */
export type RedisClient = Redis | Cluster;

/** Where Redis is: one server by URL, or a cluster by some of its nodes (the client learns the rest). */
export interface RedisTarget {
  url: string;
  clusterNodes?: ReadonlyArray<{ host: string; port: number }> | undefined;
}

export interface ConnectOptions {
  /** Told of connection errors, already rate-limited (see reportEvery); never left unheard. */
  onError?: (error: unknown, repeats: number) => void;
  /**
   * For one-shot commands: connect only on `connect()`, and give up at once when Redis cannot be
   * reached rather than retrying forever.
   */
  failFast?: boolean;
  /**
   * On a cluster, how long a command to a failed master is retried: by default for a whole
   * failover (FAILOVER_RETRIES × FAILOVER_RETRY_MS); request paths retry briefly and go on.
   */
  failover?: { retries: number; delayMs: number };
  /** Overrides for request paths that must not wait for Redis (the API's cache and rate limit). */
  redisOptions?: Partial<RedisOptions>;
}

/** The Redis a configuration names: its cluster nodes when REDIS_CLUSTER_NODES is set, else REDIS_URL. */
export function redisTarget(config: {
  REDIS_URL: string;
  REDIS_CLUSTER_NODES?: ReadonlyArray<{ host: string; port: number }> | undefined;
}): RedisTarget {
  return { url: config.REDIS_URL, clusterNodes: config.REDIS_CLUSTER_NODES };
}

/** One line per this long at most for a repeating error, with how many were folded into it. */
const REPORT_EVERY_MS = 10_000;

/**
 * Wraps a reporter so a burst of the same failure (a reconnect loop while Redis is away logs on
 * every try) becomes one call now and then one per REPORT_EVERY_MS with the count of repeats.
 */
export function reportEvery(
  report: (error: unknown, repeats: number) => void,
  everyMs = REPORT_EVERY_MS,
): (error: unknown) => void {
  let last = Number.NEGATIVE_INFINITY;
  let folded = 0;
  return (error) => {
    const now = Date.now();
    if (now - last < everyMs) {
      folded++;
      return;
    }
    last = now;
    const repeats = folded;
    folded = 0;
    report(error, repeats);
  };
}

/**
 * A Redis connection as BullMQ needs it: commands wait for a reconnect instead of failing,
 * so a Redis restart pauses the workers rather than crashing them.
 *
 * With cluster nodes, an ioredis Cluster: a command to a master that just died is retried while
 * its replica is promoted (Redis's `cluster-node-timeout` plus the election, a few seconds with
 * the settings README gives), instead of failing after ioredis's default 1.6 s.
 */
export function connectRedis(where: string | RedisTarget, options: ConnectOptions = {}): RedisClient {
  const target = typeof where === "string" ? { url: where } : where;
  const redisOptions: RedisOptions = {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    ...(options.failFast && { lazyConnect: true, connectTimeout: 3000, retryStrategy: () => null }),
    ...options.redisOptions,
  };
  const client: RedisClient = target.clusterNodes
    ? new Cluster([...target.clusterNodes], {
        redisOptions: { ...credentialsOf(target.url), ...redisOptions },
        enableReadyCheck: true,
        enableOfflineQueue: redisOptions.enableOfflineQueue ?? true,
        retryDelayOnFailover: options.failover?.delayMs ?? FAILOVER_RETRY_MS,
        retryDelayOnClusterDown: options.failover?.delayMs ?? FAILOVER_RETRY_MS,
        retryDelayOnTryAgain: options.failover?.delayMs ?? FAILOVER_RETRY_MS,
        maxRedirections: options.failover?.retries ?? FAILOVER_RETRIES,
        ...(options.failFast && { lazyConnect: true, clusterRetryStrategy: () => null }),
      })
    : new Redis(target.url, redisOptions);
  // ioredis reconnects by itself; without a listener an 'error' event would crash the process.
  client.on("error", reportEvery(options.onError ?? (() => {})));
  return client;
}

/**
 * A cluster's nodes share one password (and TLS or not): taken from REDIS_URL, so a secret that
 * holds `rediss://user:password@…` serves a single Redis and a cluster alike.
 */
function credentialsOf(url: string): Partial<RedisOptions> {
  const parsed = new URL(url);
  return {
    ...(parsed.username && { username: decodeURIComponent(parsed.username) }),
    ...(parsed.password && { password: decodeURIComponent(parsed.password) }),
    ...(parsed.protocol === "rediss:" && { tls: {} }),
  };
}

/** How long a request path waits for Redis before it goes on without it. */
const REQUEST_TIMEOUT_MS = 1000;

/**
 * A second connection for HTTP request paths (the feed cache, the partner rate limit), which can
 * do without Redis: every command fails after `timeoutMs` (ioredis's `commandTimeout`), and at
 * once while the connection is down (no offline queue, no retry), instead of waiting for a
 * reconnect as the workers' connection does. So a Redis outage slows no request by more than that.
 */
export function connectRequestRedis(
  where: string | RedisTarget,
  options: { timeoutMs?: number; onError?: ConnectOptions["onError"] } = {},
): RedisClient {
  return connectRedis(where, {
    ...(options.onError && { onError: options.onError }),
    // A redirect or two is normal (a slot moved); a failover is not waited out on a request.
    failover: { retries: 3, delayMs: 100 },
    redisOptions: {
      commandTimeout: options.timeoutMs ?? REQUEST_TIMEOUT_MS,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
    },
  });
}

/**
 * Resolves true once the client is ready, false after `ms` without: a request-path client
 * refuses commands until then, so an app waits for it at start, but never longer than this.
 */
export function whenReady(client: RedisClient, ms: number): Promise<boolean> {
  if (client.status === "ready") return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      client.off("ready", onReady);
      resolve(false);
    }, ms);
    const onReady = () => {
      clearTimeout(timer);
      resolve(true);
    };
    client.once("ready", onReady);
  });
}

/** 40 tries 500 ms apart: 20 s for a failover, well beyond a 5 s `cluster-node-timeout`. */
const FAILOVER_RETRY_MS = 500;
const FAILOVER_RETRIES = 40;

/**
 * Throws unless Redis serves every key: PING on a single server; on a cluster, `cluster_state:ok`
 * and a PING answered by every master. During a failover the dead master fails the check (or the
 * cluster reports `fail`) until its replica has taken over.
 */
export async function checkRedis(client: RedisClient): Promise<void> {
  if (!(client instanceof Cluster)) {
    await client.ping();
    return;
  }
  const info = await client.cluster("INFO");
  const state = /cluster_state:(\w+)/.exec(info)?.[1];
  if (state !== "ok") throw new Error(`the Redis Cluster's state is ${state ?? "unknown"}`);
  await Promise.all(client.nodes("master").map((node) => node.ping()));
}

/** Whether this client is a Redis Cluster's, for the few callers that must know (SCAN per master). */
export function isCluster(client: RedisClient): client is Cluster {
  return client instanceof Cluster;
}
