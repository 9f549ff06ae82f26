import { setTimeout as sleep } from "node:timers/promises";
import { createPartner, createToken } from "@babelwire/db";
import { connectRedis, connectRequestRedis, type RedisClient } from "@babelwire/queue";
import { openRuntime, type Runtime } from "@babelwire/runtime";
import { clearQueuePrefix, testConfig } from "@babelwire/runtime/testing";
import Fastify from "fastify";
import type { Redis } from "ioredis";

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiApp, buildApp } from "../app.ts";
import { leaseSize } from "../rate-limit/token-leases.ts";
import { createSessionStore } from "../sessions/browser-session.ts";
import { authPlugin } from "./auth.ts";
import { errorsPlugin } from "./errors.ts";
import { rateLimitPlugin } from "./rate-limit.ts";

const LIMIT = 5;

let runtime: Runtime;
/** A second API process: its own app, token cache and Redis connection, on the same Redis and database. */
let otherRedis: RedisClient;
let one: ApiApp;
let two: ApiApp;
let partnerId: string;

beforeAll(async () => {
  runtime = await openRuntime(testConfig({ PARTNER_RATE_LIMIT: `${LIMIT}/min` }), "rate-limit-test");
  otherRedis = connectRedis(runtime.config.REDIS_URL);
  one = await buildApp(runtime);
  two = await buildApp({ ...runtime, redis: otherRedis });
  partnerId = (await createPartner(runtime.db, { name: "Diario", languages: ["es"] })).id;
});

afterAll(async () => {
  await one?.close();
  await two?.close();
  await clearQueuePrefix(runtime.redis, runtime.config.QUEUE_PREFIX);
  otherRedis?.disconnect();
  await runtime?.close();
});

const newPartnerToken = async () => (await createToken(runtime.db, { role: "partner", partnerId })).token;
const feed = (app: ApiApp, token: string) =>
  app.inject({ method: "GET", url: "/v1/feeds/es.json", headers: { authorization: `Bearer ${token}` } });

describe("the per-token rate limit", () => {
  it("answers 429 rate_limited with Retry-After past the limit, counting across API processes on one Redis", async () => {
    const token = await newPartnerToken();
    const statuses: number[] = [];
    for (let request = 0; request < LIMIT; request++) {
      const response = await feed(request % 2 === 0 ? one : two, token);
      statuses.push(response.statusCode);
      expect(response.headers["x-ratelimit-limit"]).toBe(String(LIMIT));
      expect(response.headers["x-ratelimit-remaining"]).toBe(String(LIMIT - request - 1));
    }
    expect(statuses).toEqual(Array(LIMIT).fill(200));
    for (const app of [one, two]) {
      const refused = await feed(app, token);
      expect(refused.statusCode).toBe(429);
      expect(refused.json().error.code).toBe("rate_limited");
      const retryAfter = Number(refused.headers["retry-after"]);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(refused.headers["x-ratelimit-remaining"]).toBe("0");
    }
  });

  it("counts each token on its own, and never admin or editor tokens", async () => {
    const spent = await newPartnerToken();
    for (let request = 0; request <= LIMIT; request++) await feed(one, spent);
    expect((await feed(one, spent)).statusCode).toBe(429);
    expect((await feed(two, await newPartnerToken())).statusCode).toBe(200);
    for (const role of ["admin", "editor"] as const) {
      const staff = (await createToken(runtime.db, { role })).token;
      for (let request = 0; request <= LIMIT * 2; request++) expect((await feed(one, staff)).statusCode).toBe(200);
      expect((await feed(one, staff)).headers["x-ratelimit-limit"]).toBeUndefined();
    }
  });

  it("counts requests the feed readers' way too, with ?token=", async () => {
    const token = await newPartnerToken();
    for (let request = 0; request < LIMIT; request++) {
      expect((await one.inject({ method: "GET", url: `/v1/feeds/es.rss?token=${token}` })).statusCode).toBe(200);
    }
    const refused = await one.inject({ method: "GET", url: `/v1/feeds/es.rss?token=${token}` });
    expect(refused.statusCode).toBe(429);
    expect(refused.headers["retry-after"]).toBeDefined();
  });
});

describe("rateLimitPlugin", () => {
  /** A bare app with the real auth and errors plugins and one partner route. */
  async function bareApp(
    redis: RedisClient,
    limit: number,
    windowSeconds: number,
    onError?: (error: unknown) => void,
    batch?: number,
  ) {
    const app = Fastify();
    await app.register(errorsPlugin);
    await app.register(authPlugin, {
      db: runtime.db,
      sessions: createSessionStore(redis, runtime.config.QUEUE_PREFIX),
    });
    await app.register(rateLimitPlugin, {
      redis,
      prefix: runtime.config.QUEUE_PREFIX,
      limit,
      windowSeconds,
      ...(onError && { onError }),
      ...(batch !== undefined && { batch }),
    });
    app.get("/read", { config: { roles: ["partner"] } }, async () => ({ ok: true }));
    return app;
  }

  it("opens a new window once the old one has run out", async () => {
    const app = await bareApp(runtime.redis, 2, 1);
    const token = await newPartnerToken();
    const read = () => app.inject({ method: "GET", url: "/read", headers: { authorization: `Bearer ${token}` } });
    expect([(await read()).statusCode, (await read()).statusCode, (await read()).statusCode]).toEqual([200, 200, 429]);
    await sleep(1_100);
    expect((await read()).statusCode).toBe(200);
    await app.close();
  });

  it("lets requests through uncounted, and says so, when Redis does not answer", async () => {
    // Nothing listens on port 1: a request-path connection refuses commands at once.
    const unreachable = connectRequestRedis("redis://127.0.0.1:1", { timeoutMs: 100 });
    const failures: unknown[] = [];
    const app = await bareApp(unreachable, 1, 60, (error) => failures.push(error));
    const token = await newPartnerToken();
    try {
      for (let request = 0; request < 3; request++) {
        const response = await app.inject({
          method: "GET",
          url: "/read",
          headers: { authorization: `Bearer ${token}` },
        });
        expect(response.statusCode).toBe(200);
      }
      expect(failures).toHaveLength(3);
      expect(String(failures[0])).toContain("enableOfflineQueue options is false");
    } finally {
      await app.close();
      unreachable.disconnect();
    }
  });

  const BATCHED = 200;
  const BATCH = leaseSize(BATCHED);
  const reader = (app: Awaited<ReturnType<typeof bareApp>>, token: string) => () =>
    app.inject({ method: "GET", url: "/read", headers: { authorization: `Bearer ${token}` } });

  it("leases a fiftieth of the limit, between one request and 10,000 (the bound README states)", () => {
    expect([leaseSize(49), leaseSize(600), leaseSize(BATCHED)]).toEqual([1, 12, 4]);
    expect([leaseSize(499_999), leaseSize(500_000), leaseSize(100_000_000)]).toEqual([9_999, 10_000, 10_000]);
  });

  it("leases a batch for a larger limit, and still counts exactly on one process", async () => {
    const app = await bareApp(runtime.redis, BATCHED, 60);
    const read = reader(app, await newPartnerToken());
    try {
      for (let request = 1; request <= BATCHED; request++) {
        const response = await read();
        expect(response.statusCode).toBe(200);
        expect(response.headers["x-ratelimit-limit"]).toBe(String(BATCHED));
        expect(response.headers["x-ratelimit-remaining"]).toBe(String(BATCHED - request));
      }
      const refused = await read();
      expect(refused.statusCode).toBe(429);
      expect(refused.json().error.code).toBe("rate_limited");
      expect(refused.headers["x-ratelimit-remaining"]).toBe("0");
      expect(Number(refused.headers["retry-after"])).toBeGreaterThanOrEqual(1);
      expect(Number(refused.headers["retry-after"])).toBeLessThanOrEqual(60);
    } finally {
      await app.close();
    }
  });

  it("asks Redis once a batch, not once a request", async () => {
    const batch = 10;
    const app = await bareApp(runtime.redis, 1000, 60, undefined, batch);
    const read = reader(app, await newPartnerToken());
    const monitor = await (otherRedis as Redis).monitor();
    const port = (runtime.redis as Redis).stream.localPort;
    const leases: string[][] = [];
    monitor.on("monitor", (_time: string, args: string[], source: string) => {
      if (source.endsWith(`:${port}`) && args.some((arg) => arg.includes(":ratelimit:"))) leases.push(args);
    });
    try {
      for (let request = 0; request < 100; request++) expect((await read()).statusCode).toBe(200);
      // The marker comes back through MONITOR after every command sent before it on that connection.
      const marker = `drain-${Math.random()}`;
      const seen = new Promise<void>((done) =>
        monitor.on("monitor", (_time: string, args: string[]) => args[1] === marker && done()),
      );
      await runtime.redis.echo(marker);
      await seen;
      // 100 requests, each lease topping the process's holding up to 10 once it is below half of
      // that: a lease every 5 or 6 requests, never one a request.
      expect(leases.length).toBeGreaterThanOrEqual(10);
      expect(leases.length).toBeLessThanOrEqual(100 / (batch / 2) + 1);
    } finally {
      monitor.disconnect();
      await app.close();
    }
  });

  it("never admits more than the limit across two processes, and refuses at most one batch early", async () => {
    const apps = [await bareApp(runtime.redis, BATCHED, 60), await bareApp(otherRedis, BATCHED, 60)];
    const token = await newPartnerToken();
    const reads = apps.map((app) => reader(app, token));
    try {
      let admitted = 0;
      let firstRefusal: number | undefined;
      // Alternating between the processes until both refuse.
      const refusing = new Set<number>();
      for (let request = 0; refusing.size < 2 && request < BATCHED * 2; request++) {
        const which = request % 2;
        const response = await reads[which]?.();
        if (response?.statusCode === 200) {
          admitted += 1;
          refusing.delete(which);
        } else {
          expect(response?.statusCode).toBe(429);
          firstRefusal ??= admitted;
          refusing.add(which);
        }
      }
      expect(refusing.size).toBe(2);
      // Redis grants no more than the limit; requests leased to the other process are the only loss.
      expect(admitted).toBe(BATCHED);
      expect(firstRefusal).toBeGreaterThanOrEqual(BATCHED - BATCH);
    } finally {
      for (const app of apps) await app.close();
    }
  });
});
