import { CodedError } from "@babelwire/core";
import { afterEach, describe, expect, it } from "vitest";
import { createApertiumEngine } from "./apertium/apertium.ts";
import { translateWithChain } from "./chain.ts";
import { startTestServer, type TestServer } from "./engine-test-server.ts";
import { routeFor } from "./language-pairs.ts";
import { createLibreTranslateEngine } from "./libretranslate/libretranslate.ts";

/** A LibreTranslate that has ru→en and en→es but not ru→es, tagging each leg with its pair. */
function halvesOnly() {
  return startTestServer((request) => {
    if (request.path === "/languages") {
      return {
        json: [
          { code: "ru", name: "Russian", targets: ["en"] },
          { code: "en", name: "English", targets: ["es", "ca"] },
          { code: "es", name: "Spanish", targets: ["en"] },
        ],
      };
    }
    const body = request.json as { q: string[]; source: string; target: string };
    return { json: { translatedText: body.q.map((text) => `${body.source}>${body.target}(${text})`) } };
  });
}

describe("translateWithChain", () => {
  let server: TestServer | undefined;
  afterEach(async () => server?.close());

  it("routes a pair directly, through English when only both halves exist, or not at all", () => {
    const pairs = [
      { from: "ru", to: "en" },
      { from: "en", to: "es" },
    ];
    expect(routeFor(pairs, "en", "es")).toBe("direct");
    expect(routeFor(pairs, "en-GB", "es-MX")).toBe("direct");
    expect(routeFor(pairs, "ru", "es")).toBe("pivot");
    expect(routeFor(pairs, "es", "ru")).toBeUndefined();
    expect(routeFor([{ from: "*", to: "*" }], "uk", "ca")).toBe("direct");
  });

  it("pivots through English on an engine with both halves, flags it, and counts both legs' characters", async () => {
    server = await halvesOnly();
    const engine = createLibreTranslateEngine({ url: server.url });
    const result = await translateWithChain([engine], {
      from: "ru",
      to: "es",
      format: "text",
      segments: ["мир", ""],
      context: "Заголовок",
    });
    expect(result).toMatchObject({ engine: "libretranslate", pivot: true, segments: ["en>es(ru>en(мир))", ""] });
    expect(result.charactersSent).toBe("мир".length + "ru>en(мир)".length);
    const legs = server.requests.filter((request) => request.path === "/translate").map((request) => request.json);
    expect(legs).toMatchObject([
      { source: "ru", target: "en" },
      { source: "en", target: "es" },
    ]);
  });

  it("prefers a later engine's direct pair to an earlier engine's pivot", async () => {
    server = await halvesOnly();
    const libre = createLibreTranslateEngine({ url: server.url });
    const result = await translateWithChain([libre, createApertiumEngine()], {
      from: "es",
      to: "ca",
      format: "text",
      segments: ["El mundo es grande."],
    });
    expect(result.engine).toBe("apertium");
    expect(result.pivot).toBeUndefined();
    expect(result.segments[0]).toContain("món");
  });

  it("raises a permanent ENGINE_PAIR_UNSUPPORTED naming every engine when none offers the pair", async () => {
    server = await halvesOnly();
    const error = await translateWithChain([createLibreTranslateEngine({ url: server.url }), createApertiumEngine()], {
      from: "es",
      to: "ru",
      format: "text",
      segments: ["Hola"],
    }).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(CodedError);
    expect((error as CodedError).code).toBe("ENGINE_PAIR_UNSUPPORTED");
    expect((error as CodedError).permanent).toBe(true);
    expect((error as CodedError).message).toContain(
      "libretranslate: ENGINE_PAIR_UNSUPPORTED; apertium: ENGINE_PAIR_UNSUPPORTED",
    );
  });

  it("raises the unreachable engine's transient error, not 'unsupported', when it could not list its languages", async () => {
    const dead = createLibreTranslateEngine({ url: "http://127.0.0.1:9", timeoutMs: 2000 });
    const error = await translateWithChain([dead], { from: "en", to: "es", format: "text", segments: ["Hi"] }).catch(
      (reason: unknown) => reason,
    );
    expect((error as CodedError).code).toBe("ENGINE_UNAVAILABLE");
    expect((error as CodedError).permanent).toBe(false);
  });
});
