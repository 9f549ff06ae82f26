import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openRuntime, type Runtime } from "./open-runtime.ts";
import { clearQueuePrefix, testConfig } from "./testing.ts";
import { serveWorkerEndpoints, type WorkerEndpoints } from "./worker-endpoints.ts";

let runtime: Runtime;
let endpoints: WorkerEndpoints;

beforeAll(async () => {
  runtime = await openRuntime(testConfig({ PORT: "0" }), "endpoints-test");
  endpoints = await serveWorkerEndpoints(runtime);
});

afterAll(async () => {
  await endpoints?.close();
  await clearQueuePrefix(runtime.redis, runtime.config.QUEUE_PREFIX);
  await runtime?.close();
});

const url = (path: string) => `http://127.0.0.1:${endpoints.port}${path}`;

describe("a worker's own endpoints", () => {
  it("answers liveness and readiness for Kubernetes probes", async () => {
    expect((await fetch(url("/healthz"))).status).toBe(200);
    const ready = await fetch(url("/readyz"));
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready", checks: { redis: "ok", database: "ok" } });
    expect((await fetch(url("/nothing"))).status).toBe(404);
  });

  it("serves the job durations this worker recorded, for Prometheus", async () => {
    runtime.metrics.observeJob("translate", "completed", 0.3);
    const response = await fetch(url("/metrics"));
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await response.text()).toContain(
      'babelwire_job_duration_seconds_count{queue="translate",outcome="completed"} 1',
    );
  });

  it("runs on without endpoints when its port is taken, instead of failing the worker", async () => {
    const blocker = createServer().listen(0, "127.0.0.1");
    await new Promise((resolve) => blocker.once("listening", resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const second = await serveWorkerEndpoints({
        ...runtime,
        config: { ...runtime.config, PORT: port, HOST: "127.0.0.1" },
      });
      expect(second.port).toBeUndefined();
      await second.close();
    } finally {
      blocker.close();
    }
  });
});
