import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { openRuntime, type Runtime } from "@babelwire/runtime";
import { testConfig } from "@babelwire/runtime/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiApp, buildApp } from "../../app.ts";

/** A port nobody listens on, for a Redis of this test's own. */
async function freePort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

/** A throw-away redis-server without persistence; resolves once it accepts connections. */
async function startRedis(port: number): Promise<ChildProcess> {
  const redis = spawn("redis-server", ["--port", String(port), "--save", "", "--appendonly", "no"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    redis.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Ready to accept connections")) resolve();
    });
    redis.once("exit", (code) => reject(new Error(`redis-server exited with ${code}: ${output}`)));
  });
  return redis;
}

async function stopRedis(redis: ChildProcess): Promise<void> {
  if (redis.exitCode !== null) return;
  redis.kill("SIGKILL");
  await once(redis, "exit");
}

let port: number;
let redis: ChildProcess;
let runtime: Runtime;
let app: ApiApp;

beforeAll(async () => {
  port = await freePort();
  redis = await startRedis(port);
  runtime = await openRuntime(testConfig({ REDIS_URL: `redis://127.0.0.1:${port}` }), "health-test");
  app = await buildApp(runtime);
});

afterAll(async () => {
  await app?.close();
  await runtime?.close();
  if (redis) await stopRedis(redis);
});

const readyz = () => app.inject({ method: "GET", url: "/readyz" });

describe("/readyz", () => {
  it("goes 503 naming Redis while Redis is down and back to 200 when it returns, in the same process", async () => {
    expect((await readyz()).statusCode).toBe(200);

    await stopRedis(redis);
    const down = await readyz();
    expect(down.statusCode).toBe(503);
    expect(down.json()).toMatchObject({
      error: { code: "not_ready", message: expect.stringMatching(/^redis did not answer/) },
      checks: { redis: "failed", database: "ok" },
    });
    // The process itself stays alive for the liveness probe.
    expect((await app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);

    redis = await startRedis(port);
    const deadline = Date.now() + 15_000;
    let back = await readyz();
    while (back.statusCode !== 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      back = await readyz();
    }
    expect(back.statusCode).toBe(200);
    expect(back.json().checks).toEqual({ redis: "ok", database: "ok" });
  }, 30_000);
});
