import { CodedError } from "@babelwire/core";
import { afterEach, describe, expect, it } from "vitest";
import { createApertiumEngine } from "../apertium/apertium.ts";
import { translateWithChain } from "../chain.ts";
import { type Reply, type SeenRequest, startTestServer, type TestServer } from "../engine-test-server.ts";
import { createRequestGate, type EngineLimits } from "../resilience/request-gate.ts";
import { createLibreTranslateEngine, toLibreCode } from "./libretranslate.ts";

const LANGUAGES = [
  { code: "en", name: "English", targets: ["en", "es", "ca", "pb"] },
  { code: "es", name: "Spanish", targets: ["en", "es"] },
  { code: "pb", name: "Portuguese (Brazil)", targets: ["en"] },
];

/** LibreTranslate's /translate as documented: `q` a string or a list, answered in kind; here "«text»" marks a translation. */
function translate(request: SeenRequest): Reply {
  const body = request.json as { q: string | string[]; api_key?: string };
  if (body.api_key !== "secret") return { status: 403, json: { error: "Invalid API key" } };
  const texts = Array.isArray(body.q) ? body.q : [body.q];
  const translated = texts.map((text) => text.replace(/>([^<]+)</g, ">«$1»<").replace(/^([^<]+)$/, "«$1»"));
  return { json: { translatedText: Array.isArray(body.q) ? translated : translated[0] } };
}

function libre(handle: (request: SeenRequest) => Reply | undefined) {
  return startTestServer((request) => {
    if (request.path === "/languages") return { json: LANGUAGES };
    return handle(request) ?? translate(request);
  });
}

const FAST: Partial<EngineLimits> = { baseDelayMs: 20, maxDelayMs: 5_000, requestsPerSecond: 1000 };

async function failure(promise: Promise<unknown>): Promise<CodedError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof CodedError)) throw new Error(`expected a CodedError, got ${String(error)}`);
  return error;
}

describe("createLibreTranslateEngine against a LibreTranslate-speaking server", () => {
  let server: TestServer | undefined;
  afterEach(async () => server?.close());

  it("offers /languages' pairs as BCP 47 and maps tags to the server's codes", async () => {
    server = await libre(() => undefined);
    const engine = createLibreTranslateEngine({ url: server.url, apiKey: "secret" });
    const pairs = await engine.languages();
    expect(pairs).toContainEqual({ from: "en", to: "pt-BR" });
    expect(pairs).toContainEqual({ from: "pt-BR", to: "en" });
    expect(pairs).not.toContainEqual({ from: "en", to: "en" });
    expect(toLibreCode("pt-BR", ["en", "pb", "pt"])).toBe("pb");
    expect(toLibreCode("pt-PT", ["en", "pb", "pt"])).toBe("pt");
    expect(toLibreCode("es-MX", ["en", "es"])).toBe("es");
    expect(toLibreCode("zh-Hant", ["zh-Hans", "zt"])).toBe("zt");
  });

  it("posts q as a list with source, target, format html and the API key, and returns the segments in place", async () => {
    server = await libre(() => undefined);
    const engine = createLibreTranslateEngine({ url: `${server.url}/`, apiKey: "secret" });
    const result = await engine.translate({
      from: "en",
      to: "pt-BR",
      format: "html",
      segments: ["<p>One</p>", "  ", "<p>Two <b>bold</b></p>"],
    });
    expect(result.segments).toEqual(["<p>«One»</p>", "  ", "<p>«Two »<b>«bold»</b></p>"]);
    expect(result.charactersSent).toBe("<p>One</p>".length + "<p>Two <b>bold</b></p>".length);
    const sent = server.requests.find((request) => request.path === "/translate");
    expect(sent?.method).toBe("POST");
    expect(sent?.json).toEqual({
      q: ["<p>One</p>", "<p>Two <b>bold</b></p>"],
      source: "en",
      target: "pb",
      format: "html",
      api_key: "secret",
    });
  });

  it("splits a long article into requests of at most maxTexts texts", async () => {
    server = await libre(() => undefined);
    const engine = createLibreTranslateEngine({ url: server.url, apiKey: "secret", maxTexts: 50 });
    const segments = Array.from({ length: 120 }, (_, index) => `Paragraph ${index}`);
    const result = await engine.translate({ from: "en", to: "es", format: "text", segments });
    const sizes = server.requests
      .filter((request) => request.path === "/translate")
      .map((request) => (request.json as { q: string[] }).q.length);
    expect(sizes).toEqual([50, 50, 20]);
    expect(result.segments[119]).toBe("«Paragraph 119»");
  });

  it("waits as long as a 429's Retry-After says, then succeeds", async () => {
    let calls = 0;
    server = await libre((request) =>
      request.path === "/translate" && calls++ === 0
        ? { status: 429, headers: { "retry-after": "1" }, json: { error: "Slowdown: 10 per 1 minute" } }
        : undefined,
    );
    const gate = createRequestGate({ engine: "libretranslate", limits: FAST });
    const engine = createLibreTranslateEngine({ url: server.url, apiKey: "secret", gate });
    const result = await engine.translate({ from: "en", to: "es", format: "text", segments: ["Hello"] });
    expect(result.segments).toEqual(["«Hello»"]);
    const [first, second] = server.requests.filter((request) => request.path === "/translate");
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it("fails over at once, without waiting, when Retry-After is longer than the longest wait", async () => {
    server = await libre((request) =>
      request.path === "/translate" ? { status: 429, headers: { "retry-after": "3600" }, json: {} } : undefined,
    );
    const gate = createRequestGate({ engine: "libretranslate", limits: FAST });
    const engine = createLibreTranslateEngine({ url: server.url, apiKey: "secret", gate });
    const started = Date.now();
    const error = await failure(engine.translate({ from: "en", to: "es", format: "text", segments: ["Hi"] }));
    expect(error.code).toBe("ENGINE_RATE_LIMITED");
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("retries 5xx answers with growing backoff and gives up after maxRetries with ENGINE_SERVER_ERROR", async () => {
    server = await libre((request) =>
      request.path === "/translate" ? { status: 502, body: "<html>Bad Gateway</html>" } : undefined,
    );
    const gate = createRequestGate({ engine: "libretranslate", limits: { ...FAST, maxRetries: 3, baseDelayMs: 40 } });
    const engine = createLibreTranslateEngine({ url: server.url, apiKey: "secret", gate });
    const error = await failure(engine.translate({ from: "en", to: "es", format: "text", segments: ["Hi"] }));
    expect(error.code).toBe("ENGINE_SERVER_ERROR");
    const times = server.requests.filter((request) => request.path === "/translate").map((request) => request.at);
    expect(times).toHaveLength(4);
    const gaps = times.slice(1).map((time, index) => time - (times[index] ?? 0));
    // Full backoff is 40, 80, 160 ms, jittered down to at most half.
    expect(gaps[0]).toBeGreaterThanOrEqual(18);
    expect(gaps[2]).toBeGreaterThanOrEqual(78);
  });

  it("opens the circuit on a bad key: later calls fail fast without reaching the server until the cool-down ends", async () => {
    server = await libre(() => undefined);
    const alerts: string[] = [];
    const gate = createRequestGate({
      engine: "libretranslate",
      limits: { ...FAST, circuitCooldownMs: 300 },
      alerts: { error: (_details, message) => alerts.push(message) },
    });
    const bad = createLibreTranslateEngine({ url: server.url, apiKey: "wrong", gate });
    const request = { from: "en", to: "es", format: "text" as const, segments: ["Hi"] };
    expect((await failure(bad.translate(request))).code).toBe("ENGINE_AUTH_FAILED");
    expect(gate.circuit()).toBe("open");
    expect(alerts[0]).toMatch(/libretranslate taken out of the chain: .*Invalid API key/);
    const seen = server.requests.length;
    expect((await failure(bad.translate(request))).code).toBe("ENGINE_CIRCUIT_OPEN");
    expect(server.requests.length).toBe(seen);
    await new Promise((resolve) => setTimeout(resolve, 350));
    const good = createLibreTranslateEngine({ url: server.url, apiKey: "secret", gate });
    expect((await good.translate(request)).segments).toEqual(["«Hi»"]);
    expect(gate.circuit()).toBe("closed");
  });

  it("takes the engine out after 5 requests in a row fail with 5xx, probes it once after the cool-down, and puts it back when the probe succeeds", async () => {
    let down = true;
    server = await libre((request) =>
      request.path === "/translate" && down ? { status: 503, body: "<html>Service Unavailable</html>" } : undefined,
    );
    const alerts: string[] = [];
    const states: string[] = [];
    const gate = createRequestGate({
      engine: "libretranslate",
      limits: { ...FAST, maxRetries: 1, failureThreshold: 5, failureCooldownMs: 300 },
      alerts: { error: (_details, message) => alerts.push(message), info: (_details, message) => alerts.push(message) },
      observer: {
        countEngineRequest: () => {},
        countEngineCharacters: () => {},
        countEngineError: () => {},
        setEngineCircuit: (_engine, state) => states.push(state),
      },
    });
    const engine = createLibreTranslateEngine({ url: server.url, apiKey: "secret", gate });
    const request = { from: "en", to: "es", format: "text" as const, segments: ["Hi"] };
    const translations = () => server?.requests.filter((seen) => seen.path === "/translate").length ?? 0;

    for (let failures = 1; failures <= 4; failures++) {
      expect((await failure(engine.translate(request))).code).toBe("ENGINE_SERVER_ERROR");
      expect(gate.circuit()).toBe("closed");
    }
    expect(translations()).toBe(8); // each request tried twice (maxRetries 1)
    expect((await failure(engine.translate(request))).code).toBe("ENGINE_SERVER_ERROR");
    expect(gate.circuit()).toBe("open");
    expect(alerts).toEqual([
      expect.stringMatching(/libretranslate taken out of the chain after 5 failed requests in a row: .*503/),
    ]);
    expect((await failure(engine.translate(request))).code).toBe("ENGINE_CIRCUIT_OPEN");
    expect(translations()).toBe(10);

    // Still down after the cool-down: the probe fails and the circuit opens for another cool-down.
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect((await failure(engine.translate(request))).code).toBe("ENGINE_SERVER_ERROR");
    expect(translations()).toBe(12);
    expect(gate.circuit()).toBe("open");
    expect(alerts[1]).toMatch(/taken out of the chain again after a failed probe/);
    expect((await failure(engine.translate(request))).code).toBe("ENGINE_CIRCUIT_OPEN");

    // Back up: one request probes while the others still fall back; its success closes the circuit.
    down = false;
    await new Promise((resolve) => setTimeout(resolve, 350));
    const [probe, meanwhile] = await Promise.allSettled([engine.translate(request), engine.translate(request)]);
    expect(probe).toMatchObject({ status: "fulfilled", value: { segments: ["«Hi»"] } });
    expect(meanwhile).toMatchObject({ status: "rejected", reason: { code: "ENGINE_CIRCUIT_OPEN" } });
    expect(translations()).toBe(13);
    expect(gate.circuit()).toBe("closed");
    expect(alerts[2]).toBe("translation engine libretranslate is back in the chain");
    expect(states).toEqual(["open", "half_open", "open", "half_open", "closed"]);
    expect((await engine.translate(request)).segments).toEqual(["«Hi»"]);
  });

  it("sends no request queued behind the failures that opened the circuit to the server", async () => {
    server = await libre((request) =>
      request.path === "/translate" ? { status: 500, delayMs: 50, body: "oops" } : undefined,
    );
    const gate = createRequestGate({
      engine: "libretranslate",
      limits: { ...FAST, concurrency: 1, maxRetries: 0, failureThreshold: 2 },
    });
    const engine = createLibreTranslateEngine({ url: server.url, apiKey: "secret", gate });
    await engine.languages();
    const outcomes = await Promise.all(
      Array.from({ length: 5 }, (_, index) =>
        engine.translate({ from: "en", to: "es", format: "text", segments: [`Text ${index}`] }).then(
          () => "ok",
          (error: CodedError) => error.code,
        ),
      ),
    );
    expect(outcomes).toEqual([
      "ENGINE_SERVER_ERROR",
      "ENGINE_SERVER_ERROR",
      "ENGINE_CIRCUIT_OPEN",
      "ENGINE_CIRCUIT_OPEN",
      "ENGINE_CIRCUIT_OPEN",
    ]);
    expect(server.requests.filter((request) => request.path === "/translate")).toHaveLength(2);
  });

  it("counts only failures in a row: one answer in between starts the count again", async () => {
    let calls = 0;
    // Every fifth call answers; the four between fail with 500 (no retries here).
    server = await libre((request) =>
      request.path === "/translate" && ++calls % 5 !== 0 ? { status: 500, body: "oops" } : undefined,
    );
    const gate = createRequestGate({
      engine: "libretranslate",
      limits: { ...FAST, maxRetries: 0, failureThreshold: 5 },
    });
    const engine = createLibreTranslateEngine({ url: server.url, apiKey: "secret", gate });
    const outcomes: string[] = [];
    for (let index = 0; index < 15; index++) {
      outcomes.push(
        await engine.translate({ from: "en", to: "es", format: "text", segments: ["Hi"] }).then(
          () => "ok",
          (error: CodedError) => error.code,
        ),
      );
    }
    expect(outcomes.filter((outcome) => outcome === "ok")).toHaveLength(3);
    expect(outcomes).not.toContain("ENGINE_CIRCUIT_OPEN");
    expect(gate.circuit()).toBe("closed");
  });

  it("takes an engine that keeps timing out out of the chain, and the chain answers with the next engine", async () => {
    server = await libre((request) => (request.path === "/translate" ? { delayMs: 400, json: {} } : undefined));
    const gate = createRequestGate({ engine: "libretranslate", limits: { ...FAST, failureThreshold: 2 } });
    const slow = createLibreTranslateEngine({ url: server.url, apiKey: "secret", timeoutMs: 100, gate });
    const apertium = createApertiumEngine();
    const request = { from: "en", to: "es", format: "text" as const, segments: ["The war goes on."] };
    const first = await translateWithChain([slow, apertium], request);
    expect(first).toMatchObject({ engine: "apertium", failures: ["libretranslate: ENGINE_TIMEOUT"] });
    await translateWithChain([slow, apertium], request);
    expect(gate.circuit()).toBe("open");
    const seen = server.requests.length;
    const third = await translateWithChain([slow, apertium], request);
    expect(third).toMatchObject({ engine: "apertium", failures: ["libretranslate: ENGINE_CIRCUIT_OPEN"] });
    expect(third.segments[0]).toMatch(/guerra/);
    expect(server.requests.length).toBe(seen);
  });

  it("reports a malformed body as ENGINE_BAD_OUTPUT, a short list too", async () => {
    server = await libre((request) =>
      request.path !== "/translate"
        ? undefined
        : (request.json as { q: string[] }).q.length === 1
          ? { body: "{not json" }
          : { json: { translatedText: ["only one"] } },
    );
    const engine = createLibreTranslateEngine({ url: server.url, apiKey: "secret" });
    const one = await failure(engine.translate({ from: "en", to: "es", format: "text", segments: ["a"] }));
    expect(one.code).toBe("ENGINE_BAD_OUTPUT");
    const two = await failure(engine.translate({ from: "en", to: "es", format: "text", segments: ["a", "b"] }));
    expect(two.code).toBe("ENGINE_BAD_OUTPUT");
  });

  it("gives up on a slow answer with ENGINE_TIMEOUT", async () => {
    server = await libre((request) => (request.path === "/translate" ? { delayMs: 800, json: {} } : undefined));
    const engine = createLibreTranslateEngine({ url: server.url, apiKey: "secret", timeoutMs: 200 });
    const error = await failure(engine.translate({ from: "en", to: "es", format: "text", segments: ["Hi"] }));
    expect(error.code).toBe("ENGINE_TIMEOUT");
  });

  it("keeps at most `concurrency` requests in flight and starts no more than requestsPerSecond", async () => {
    server = await libre((request) =>
      request.path === "/translate" ? { delayMs: 100, ...translate(request) } : undefined,
    );
    const gate = createRequestGate({ engine: "libretranslate", limits: { concurrency: 2, requestsPerSecond: 1000 } });
    const engine = createLibreTranslateEngine({ url: server.url, apiKey: "secret", gate });
    await engine.languages();
    await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        engine.translate({ from: "en", to: "es", format: "text", segments: [`Text ${index}`] }),
      ),
    );
    expect(server.inFlight.max).toBe(2);

    const paced = createRequestGate({ engine: "libretranslate", limits: { concurrency: 10, requestsPerSecond: 5 } });
    const slow = createLibreTranslateEngine({ url: server.url, apiKey: "secret", gate: paced });
    const started = Date.now();
    // The languages call and 10 translations: 11 requests at 5/s, 5 of them from the full bucket.
    await Promise.all(
      Array.from({ length: 10 }, () => slow.translate({ from: "en", to: "es", format: "text", segments: ["x"] })),
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  });
});
