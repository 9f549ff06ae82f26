import { CodedError } from "@babelwire/core";
import { afterEach, describe, expect, it } from "vitest";
import { createApertiumEngine } from "../apertium/apertium.ts";
import { translateWithChain } from "../chain.ts";
import { type Reply, type SeenRequest, startTestServer, type TestServer } from "../engine-test-server.ts";
import { createRequestGate } from "../resilience/request-gate.ts";
import { createDeeplEngine } from "./deepl.ts";
import { fromDeeplCode, toDeeplSource, toDeeplTarget } from "./deepl-codes.ts";

const SOURCES = ["EN", "DE", "ES", "PT"].map((language) => ({ language, name: language }));
const TARGETS = [
  { language: "EN-GB", name: "English (British)", supports_formality: false },
  { language: "EN-US", name: "English (American)", supports_formality: false },
  { language: "DE", name: "German", supports_formality: true },
  { language: "ES", name: "Spanish", supports_formality: true },
  { language: "PT-BR", name: "Portuguese (Brazilian)", supports_formality: true },
  { language: "PT-PT", name: "Portuguese (European)", supports_formality: true },
];

/** DeepL's /v2 as documented: key in `Authorization: DeepL-Auth-Key`, texts as repeated `text` form fields. */
function deeplApi(overrides: (request: SeenRequest) => Reply | undefined = () => undefined) {
  return startTestServer((request) => {
    if (request.headers.authorization !== "DeepL-Auth-Key test-key:fx") {
      return { status: 403, json: { message: "Wrong endpoint or key" } };
    }
    const override = overrides(request);
    if (override) return override;
    if (request.path === "/v2/languages") return { json: request.query.get("type") === "target" ? TARGETS : SOURCES };
    if (request.path === "/v2/translate") {
      const target = request.form.get("target_lang") ?? "";
      const translations = request.form.getAll("text").map((text) => ({
        detected_source_language: request.form.get("source_lang")?.toUpperCase(),
        text: `[${target}] ${text}`,
      }));
      return { json: { translations } };
    }
    return { status: 404, json: { message: "Not found" } };
  });
}

function translateCalls(server: TestServer): SeenRequest[] {
  return server.requests.filter((request) => request.path === "/v2/translate");
}

async function failure(promise: Promise<unknown>): Promise<CodedError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof CodedError)) throw new Error(`expected a CodedError, got ${String(error)}`);
  return error;
}

describe("DeepL language codes", () => {
  it("sends sources without variant and targets with the variant DeepL writes", () => {
    expect(toDeeplSource("en-GB")).toBe("EN");
    expect(toDeeplSource("pt-BR")).toBe("PT");
    expect(toDeeplTarget("en-GB")).toBe("EN-GB");
    expect(toDeeplTarget("en-AU")).toBe("EN-GB");
    expect(toDeeplTarget("en")).toBe("EN-US");
    expect(toDeeplTarget("pt")).toBe("PT-BR");
    expect(toDeeplTarget("pt-PT")).toBe("PT-PT");
    expect(toDeeplTarget("zh-Hant")).toBe("ZH-HANT");
    expect(toDeeplTarget("zh-TW")).toBe("ZH-HANT");
    expect(toDeeplTarget("zh")).toBe("ZH-HANS");
    expect(toDeeplTarget("es-419")).toBe("ES-419");
    expect(toDeeplTarget("de-AT")).toBe("DE");
    expect(fromDeeplCode("ZH-HANS")).toBe("zh-Hans");
    expect(fromDeeplCode("en-GB")).toBe("en-GB");
    expect(fromDeeplCode("ES-419")).toBe("es-419");
  });
});

describe("createDeeplEngine (deepl-node) against a DeepL-speaking server", () => {
  let server: TestServer | undefined;
  afterEach(async () => server?.close());

  it("offers source × target pairs as BCP 47, variants also under their plain tag", async () => {
    server = await deeplApi();
    const pairs = await createDeeplEngine({ apiKey: "test-key:fx", serverUrl: server.url }).languages();
    expect(pairs).toContainEqual({ from: "en", to: "pt-BR" });
    expect(pairs).toContainEqual({ from: "de", to: "en-GB" });
    expect(pairs).toContainEqual({ from: "de", to: "en" });
    expect(pairs).toContainEqual({ from: "es", to: "pt" });
    expect(pairs).not.toContainEqual({ from: "en", to: "en-GB" });
  });

  it("sends html with tag_handling, the headline as context, formality where offered and the pair's glossary", async () => {
    server = await deeplApi();
    const engine = createDeeplEngine({
      apiKey: "test-key:fx",
      serverUrl: server.url,
      formality: "prefer_more",
      glossaryId: ({ from, to }) => (from === "en-US" && to === "de" ? "gls-en-de" : undefined),
    });
    const result = await engine.translate({
      from: "en-US",
      to: "de",
      format: "html",
      segments: ["<p>The <b>talks</b> resume.</p>", ""],
      context: "NATO chief meets Trump",
    });
    expect(result.segments).toEqual(["[de] <p>The <b>talks</b> resume.</p>", ""]);
    const [call] = translateCalls(server);
    expect(call?.form.getAll("text")).toEqual(["<p>The <b>talks</b> resume.</p>"]);
    expect(call?.form.get("source_lang")).toBe("en");
    expect(call?.form.get("target_lang")).toBe("de");
    expect(call?.form.get("tag_handling")).toBe("html");
    expect(call?.form.get("context")).toBe("NATO chief meets Trump");
    expect(call?.form.get("formality")).toBe("prefer_more");
    expect(call?.form.get("glossary_id")).toBe("gls-en-de");

    await engine.translate({ from: "de", to: "en", format: "text", segments: ["Hallo"] });
    const second = translateCalls(server)[1];
    expect(second?.form.get("target_lang")).toBe("en-US");
    expect(second?.form.has("formality")).toBe(false);
    expect(second?.form.has("tag_handling")).toBe(false);
    expect(second?.form.has("glossary_id")).toBe(false);
  });

  it("maps pt and pt-PT targets to PT-BR and PT-PT", async () => {
    server = await deeplApi();
    const engine = createDeeplEngine({ apiKey: "test-key:fx", serverUrl: server.url });
    await engine.translate({ from: "en", to: "pt", format: "text", segments: ["Hi"] });
    await engine.translate({ from: "en", to: "pt-PT", format: "text", segments: ["Hi"] });
    expect(translateCalls(server).map((call) => call.form.get("target_lang"))).toEqual(["pt-BR", "pt-PT"]);
  });

  it("sends at most 50 texts per request", async () => {
    server = await deeplApi();
    const engine = createDeeplEngine({ apiKey: "test-key:fx", serverUrl: server.url });
    const segments = Array.from({ length: 120 }, (_, index) => `<p>Paragraph ${index}</p>`);
    const result = await engine.translate({ from: "en", to: "es", format: "html", segments });
    expect(translateCalls(server).map((call) => call.form.getAll("text").length)).toEqual([50, 50, 20]);
    expect(result.segments[119]).toBe("[es] <p>Paragraph 119</p>");
    expect(result.charactersSent).toBe(segments.join("").length);
  });

  it("keeps every request body under 128 KiB", async () => {
    server = await deeplApi();
    const engine = createDeeplEngine({ apiKey: "test-key:fx", serverUrl: server.url });
    // Each 20,000-character paragraph of Cyrillic is ~120 KB form-encoded: two never fit in one request.
    const segments = Array.from({ length: 3 }, (_, index) => `${index} ${"д".repeat(20_000)}`);
    await engine.translate({ from: "en", to: "es", format: "text", segments, context: "Заголовок" });
    const calls = translateCalls(server);
    expect(calls.map((call) => call.form.getAll("text").length)).toEqual([1, 1, 1]);
    for (const call of calls) expect(Buffer.byteLength(call.body)).toBeLessThanOrEqual(128 * 1024);
  });

  it("maps 456 to ENGINE_QUOTA_EXCEEDED and 403 to ENGINE_AUTH_FAILED", async () => {
    server = await deeplApi((request) =>
      request.path === "/v2/translate" ? { status: 456, json: { message: "Quota exceeded" } } : undefined,
    );
    const quota = await failure(
      createDeeplEngine({ apiKey: "test-key:fx", serverUrl: server.url }).translate({
        from: "en",
        to: "es",
        format: "text",
        segments: ["Hi"],
      }),
    );
    expect(quota.code).toBe("ENGINE_QUOTA_EXCEEDED");
    const auth = await failure(createDeeplEngine({ apiKey: "other:fx", serverUrl: server.url }).languages());
    expect(auth.code).toBe("ENGINE_AUTH_FAILED");
  });

  it("retries a 429 and a 503 and then succeeds", async () => {
    let calls = 0;
    server = await deeplApi((request) => {
      if (request.path !== "/v2/translate") return undefined;
      calls++;
      if (calls === 1) return { status: 429, json: { message: "Too many requests" } };
      if (calls === 2) return { status: 503, json: { message: "Service unavailable" } };
      return undefined;
    });
    const gate = createRequestGate({ engine: "deepl", limits: { baseDelayMs: 20 } });
    const engine = createDeeplEngine({ apiKey: "test-key:fx", serverUrl: server.url, gate });
    const result = await engine.translate({ from: "en", to: "es", format: "text", segments: ["Hi"] });
    expect(result.segments).toEqual(["[es] Hi"]);
    expect(translateCalls(server)).toHaveLength(3);
  });

  it("reads a malformed answer as ENGINE_BAD_OUTPUT", async () => {
    server = await deeplApi((request) =>
      request.path === "/v2/translate" ? { body: "<html>oops</html>" } : undefined,
    );
    const engine = createDeeplEngine({ apiKey: "test-key:fx", serverUrl: server.url });
    const error = await failure(engine.translate({ from: "en", to: "es", format: "text", segments: ["Hi"] }));
    expect(error.code).toBe("ENGINE_BAD_OUTPUT");
  });

  it("in a chain, a 456 opens DeepL's circuit and the next engine (Apertium) translates; DeepL is then skipped unasked", async () => {
    server = await deeplApi((request) =>
      request.path === "/v2/translate" ? { status: 456, json: { message: "Quota exceeded" } } : undefined,
    );
    const alerts: object[] = [];
    const gate = createRequestGate({ engine: "deepl", alerts: { error: (details) => alerts.push(details) } });
    const engines = [createDeeplEngine({ apiKey: "test-key:fx", serverUrl: server.url, gate }), createApertiumEngine()];
    const request = { from: "en", to: "es", format: "text" as const, segments: ["The world is changing."] };

    const first = await translateWithChain(engines, request);
    expect(first.engine).toBe("apertium");
    expect(first.segments[0]).toContain("El mundo");
    expect(first.failures).toEqual(["deepl: ENGINE_QUOTA_EXCEEDED"]);
    expect(gate.circuit()).toBe("open");
    expect(alerts).toEqual([expect.objectContaining({ engine: "deepl", code: "ENGINE_QUOTA_EXCEEDED" })]);

    const seen = translateCalls(server).length;
    const second = await translateWithChain(engines, request);
    expect(second.engine).toBe("apertium");
    expect(second.failures).toEqual(["deepl: ENGINE_CIRCUIT_OPEN"]);
    expect(translateCalls(server)).toHaveLength(seen);
  });
});
