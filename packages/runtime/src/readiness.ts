import type { Db } from "@babelwire/db";
import { checkRedis, type RedisClient } from "@babelwire/queue";

/** A dependency that takes longer than this to answer counts as down: probes must not hang. */
const DEADLINE_MS = 2000;

export type CheckResult = "ok" | "failed";

export interface Readiness {
  ready: boolean;
  checks: { redis: CheckResult; database: CheckResult };
  /** A sentence naming what failed, such as "redis did not answer." */
  message: string;
}

function withinDeadline<T>(work: Promise<T>, name: string): Promise<T> {
  return Promise.race([
    work,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`${name} did not answer within ${DEADLINE_MS} ms`)), DEADLINE_MS).unref(),
    ),
  ]);
}

/**
 * Whether Redis and the database answer within the deadline. The Redis connection waits for a
 * reconnect rather than failing, so a ping while Redis is away hangs: the deadline turns that into
 * "failed", and the same connection answers again once Redis is back, with no restart.
 */
export async function checkReadiness(deps: { redis: RedisClient; db: Db }): Promise<Readiness> {
  const [redis, database] = (
    await Promise.allSettled([
      withinDeadline(checkRedis(deps.redis), "redis"),
      withinDeadline(deps.db.selectNoFrom((eb) => eb.val(1).as("one")).execute(), "database"),
    ])
  ).map((check): CheckResult => (check.status === "fulfilled" ? "ok" : "failed")) as [CheckResult, CheckResult];
  const failing = [redis === "failed" && "redis", database === "failed" && "database"].filter(Boolean);
  return {
    ready: failing.length === 0,
    checks: { redis, database },
    message: failing.length === 0 ? "ready" : `${failing.join(" and ")} did not answer.`,
  };
}
