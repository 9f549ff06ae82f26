import { parseConfig } from "@babelwire/config";
import { createMetrics } from "@babelwire/metrics";
import { afterEach, describe, expect, it } from "vitest";
import { translateWithChain } from "./chain.ts";
import { createEngines } from "./create-engines.ts";
import { startTestServer, type TestServer } from "./engine-test-server.ts";

describe("createEngines", () => {
  let server: TestServer | undefined;
  afterEach(async () => server?.close());

  it("builds TRANSLATION_ENGINES in order, and counts characters, errors and circuit state in the process's metrics", async () => {
    server = await startTestServer((request) =>
      request.path === "/languages"
        ? { json: [{ code: "en", name: "English", targets: ["es"] }] }
        : { status: 403, json: { error: "Invalid API key" } },
    );
    const config = parseConfig({
      TRANSLATION_ENGINES: "libretranslate,apertium",
      LIBRETRANSLATE_URL: server.url,
      LIBRETRANSLATE_API_KEY: "wrong",
    });
    const metrics = createMetrics({ defaultMetrics: false });
    const alerts: string[] = [];
    const engines = createEngines(config, {
      observer: metrics,
      alerts: { error: (_d, message) => alerts.push(message) },
    });
    expect(engines.map((engine) => engine.name)).toEqual(["libretranslate", "apertium"]);

    const result = await translateWithChain(engines, {
      from: "en",
      to: "es",
      format: "text",
      segments: ["The world is big."],
    });
    expect(result.engine).toBe("apertium");
    expect(result.failures).toEqual(["libretranslate: ENGINE_AUTH_FAILED"]);
    expect(alerts).toEqual([expect.stringContaining("libretranslate taken out of the chain")]);
    const text = await metrics.render();
    expect(text).toContain('babelwire_engine_characters_total{engine="libretranslate"} 17');
    expect(text).toContain('babelwire_engine_characters_total{engine="apertium"} 17');
    expect(text).toContain('babelwire_engine_errors_total{engine="libretranslate",code="ENGINE_AUTH_FAILED"} 1');
    expect(text).toContain('babelwire_engine_circuit_state{engine="libretranslate"} 2');
    expect(text).toContain('babelwire_engine_requests_total{engine="libretranslate"} 2');
  });
});
