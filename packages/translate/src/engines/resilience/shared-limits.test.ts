import { randomBytes } from "node:crypto";
import { type AddressInfo, createServer } from "node:net";
import { CodedError } from "@babelwire/core";
import { connectRedis } from "@babelwire/queue";
import { clearQueuePrefix } from "@babelwire/runtime/testing";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../engine-test-server.ts";
import { createLibreTranslateEngine } from "../libretranslate/libretranslate.ts";
import { createRequestGate, type EngineAlerts } from "./request-gate.ts";
import { createSharedLimits, type SharedStore } from "./shared-limits.ts";

const redis = connectRedis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
const store: SharedStore = { eval: (script, keys, args) => redis.eval(script, keys.length, ...keys, ...args) };
const prefixes: string[] = [];

/** A fresh key space, as one deployment's QUEUE_PREFIX. */
function deployment(): string {
  const prefix = `{bwtest-shared-${randomBytes(4).toString("hex")}}`;
  prefixes.push(prefix);
  return prefix;
}

afterAll(async () => {
  for (const prefix of prefixes) await clearQueuePrefix(redis, prefix);
  redis.disconnect();
});

/** LibreTranslate's API; the key "secret" is the good one. */
function libre(): Promise<TestServer> {
  return startTestServer((request) => {
    if (request.path === "/languages") return { json: [{ code: "en", name: "English", targets: ["es"] }] };
    const body = request.json as { q: string[]; api_key?: string };
    if (body.api_key !== "secret") return { status: 403, json: { error: "Invalid API key" } };
    return { json: { translatedText: body.q.map((text) => `«${text}»`) } };
  });
}

function collect(): EngineAlerts & { messages: string[] } {
  const messages: string[] = [];
  return {
    messages,
    error: (_details, message) => messages.push(message),
    info: (_details, message) => messages.push(message),
  };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => "ok",
    (error: unknown) => (error instanceof CodedError ? error.code : String(error)),
  );
}

const request = { from: "en", to: "es", format: "text" as const, segments: ["Hi"] };

describe("engine limits shared through Redis by several translator processes", () => {
  let server: TestServer | undefined;
  afterEach(async () => server?.close());

  it("takes the engine out of every process when one of them opens its circuit, until the cool-down ends", async () => {
    server = await libre();
    const prefix = deployment();
    // Two processes: each its own gate, both on one Redis.
    const alertsA = collect();
    const alertsB = collect();
    const gateA = createRequestGate({
      engine: "libretranslate",
      limits: { circuitCooldownMs: 1_500 },
      alerts: alertsA,
      shared: createSharedLimits(store, prefix, "libretranslate"),
    });
    const gateB = createRequestGate({
      engine: "libretranslate",
      alerts: alertsB,
      shared: createSharedLimits(store, prefix, "libretranslate"),
    });
    const badKey = createLibreTranslateEngine({ url: server.url, apiKey: "wrong", gate: gateA });
    const b = createLibreTranslateEngine({ url: server.url, apiKey: "secret", gate: gateB });
    expect(await codeOf(b.translate(request))).toBe("ok");

    expect(await codeOf(badKey.translate(request))).toBe("ENGINE_AUTH_FAILED");
    const seen = server.requests.length;
    expect(await codeOf(b.translate(request))).toBe("ENGINE_CIRCUIT_OPEN");
    expect(server.requests.length).toBe(seen);
    expect(gateB.circuit()).toBe("open");
    expect(alertsB.messages).toEqual([
      expect.stringMatching(/libretranslate taken out of the chain by another translator process: .*Invalid API key/),
    ]);

    await new Promise((resolve) => setTimeout(resolve, 1_600));
    expect(await codeOf(b.translate(request))).toBe("ok");
    expect(gateB.circuit()).toBe("closed");
  });

  it("holds requestsPerSecond across processes, not per process", async () => {
    server = await libre();
    const prefix = deployment();
    const gates = [0, 1].map(() =>
      createRequestGate({
        engine: "libretranslate",
        limits: { requestsPerSecond: 4, concurrency: 10 },
        shared: createSharedLimits(store, prefix, "libretranslate"),
      }),
    );
    const engines = gates.map((gate) => createLibreTranslateEngine({ url: server?.url ?? "", apiKey: "secret", gate }));
    for (const engine of engines) await engine.languages();
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // the bucket full again: 4 tokens
    const started = Date.now();
    // 10 translations, 5 from each process, 4 a second between both: 4 at once, 6 more in 1.5 s.
    // Were the limit per process, each would start its 5 within 0.25 s.
    await Promise.all(
      Array.from({ length: 10 }, (_, index) => engines[index % 2]?.translate({ ...request, segments: [`T${index}`] })),
    );
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(1_300);
    expect(elapsed).toBeLessThan(5_000);
  });

  it("goes on with the process's own limits when Redis does not answer, telling the operator once", async () => {
    server = await libre();
    const alerts = collect();
    // A Redis that takes the connection and never answers (a hung server, a black-holed route).
    const hung = createServer(() => {});
    await new Promise<void>((resolve) => hung.listen(0, "127.0.0.1", resolve));
    const silentRedis = connectRedis(`redis://127.0.0.1:${(hung.address() as AddressInfo).port}`);
    const silent: SharedStore = {
      eval: (script, keys, args) => silentRedis.eval(script, keys.length, ...keys, ...args),
    };
    const gate = createRequestGate({
      engine: "libretranslate",
      alerts,
      sharedTimeoutMs: 50,
      shared: createSharedLimits(silent, deployment(), "libretranslate"),
    });
    const engine = createLibreTranslateEngine({ url: server.url, apiKey: "secret", gate });
    expect(await codeOf(engine.translate(request))).toBe("ok");
    expect(await codeOf(engine.translate(request))).toBe("ok");
    expect(alerts.messages).toEqual([
      "shared limits of translation engine libretranslate unavailable (Redis): this process keeps its own",
    ]);
    silentRedis.disconnect();
    hung.close();
  });
});
