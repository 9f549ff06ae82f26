import { setTimeout as sleep } from "node:timers/promises";
import { createPartner, createToken } from "@babelwire/db";
import { connectRedis, connectRequestRedis, type RedisClient } from "@babelwire/queue";
import { openRuntime, type Runtime } from "@babelwire/runtime";
import { clearQueuePrefix, testConfig } from "@babelwire/runtime/testing";
import Fastify from "fastify";

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiApp, buildApp } from "../app.ts";
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
  async function bareApp(redis: RedisClient, limit: number, windowSeconds: number, onError?: (error: unknown) => void) {
    const app = Fastify();
    await app.register(errorsPlugin);
    await app.register(authPlugin, { db: runtime.db });
    await app.register(rateLimitPlugin, {
      redis,
      prefix: runtime.config.QUEUE_PREFIX,
      limit,
      windowSeconds,
      ...(onError && { onError }),
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
});
