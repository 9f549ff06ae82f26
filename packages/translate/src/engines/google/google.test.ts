import { CodedError } from "@babelwire/core";
import { afterEach, describe, expect, it } from "vitest";
import { type Reply, type SeenRequest, startTestServer, type TestServer } from "../engine-test-server.ts";
import { createRequestGate } from "../resilience/request-gate.ts";
import { createGoogleEngine, toGoogleCode } from "./google.ts";

const V2 = "/language/translate/v2";

/** Cloud Translation Basic (v2) as documented: `?key=`, JSON `q` list, `{data: {translations}}` back. */
function googleApi(failure?: (request: SeenRequest, call: number) => Reply | undefined) {
  let call = 0;
  return startTestServer((request) => {
    if (request.query.get("key") !== "g-key") {
      return {
        status: 400,
        json: { error: { code: 400, message: "API key not valid.", errors: [{ reason: "badRequest" }] } },
      };
    }
    if (request.path === `${V2}/languages`) {
      return { json: { data: { languages: ["en", "es", "iw", "zh-CN", "zh-TW"].map((language) => ({ language })) } } };
    }
    const failed = failure?.(request, call++);
    if (failed) return failed;
    const body = request.json as { q: string[]; target: string };
    return { json: { data: { translations: body.q.map((text) => ({ translatedText: `${body.target}:${text}` })) } } };
  });
}

async function failure(promise: Promise<unknown>): Promise<CodedError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof CodedError)) throw new Error(`expected a CodedError, got ${String(error)}`);
  return error;
}

describe("createGoogleEngine against a Cloud Translation v2 server", () => {
  let server: TestServer | undefined;
  afterEach(async () => server?.close());

  it("maps BCP 47 to Google's codes and back", () => {
    const offered = new Set(["en", "iw", "zh-CN", "zh-TW", "pt"]);
    expect(toGoogleCode("he", offered)).toBe("iw");
    expect(toGoogleCode("zh-Hant", offered)).toBe("zh-TW");
    expect(toGoogleCode("zh", offered)).toBe("zh-CN");
    expect(toGoogleCode("pt-BR", offered)).toBe("pt");
    expect(toGoogleCode("xx", offered)).toBeUndefined();
  });

  it("posts q as a list with format html and the key in the query, and offers pairs as BCP 47", async () => {
    server = await googleApi();
    const engine = createGoogleEngine({ apiKey: "g-key", endpoint: `${server.url}${V2}` });
    expect(await engine.languages()).toContainEqual({ from: "he", to: "zh-Hant" });
    const result = await engine.translate({ from: "en", to: "he", format: "html", segments: ["<p>Hi</p>", ""] });
    expect(result.segments).toEqual(["iw:<p>Hi</p>", ""]);
    const call = server.requests.find((request) => request.path === V2);
    expect(call?.method).toBe("POST");
    expect(call?.json).toEqual({ q: ["<p>Hi</p>"], source: "en", target: "iw", format: "html" });
  });

  it("reads a bad key as ENGINE_AUTH_FAILED and a daily limit as ENGINE_QUOTA_EXCEEDED", async () => {
    server = await googleApi(() => ({
      status: 403,
      json: { error: { code: 403, message: "Daily Limit Exceeded", errors: [{ reason: "dailyLimitExceeded" }] } },
    }));
    const bad = createGoogleEngine({ apiKey: "nope", endpoint: `${server.url}${V2}` });
    expect((await failure(bad.languages())).code).toBe("ENGINE_AUTH_FAILED");
    const engine = createGoogleEngine({ apiKey: "g-key", endpoint: `${server.url}${V2}` });
    const quota = await failure(engine.translate({ from: "en", to: "es", format: "text", segments: ["Hi"] }));
    expect(quota.code).toBe("ENGINE_QUOTA_EXCEEDED");
    expect(quota.message).toContain("Daily Limit Exceeded");
  });

  it("retries a 429 after the HTTP-date its Retry-After names, and a 500", async () => {
    server = await googleApi((_request, call) =>
      call === 0
        ? { status: 500, json: { error: { code: 500, message: "Internal error" } } }
        : call === 1
          ? {
              status: 429,
              headers: { "retry-after": new Date(Date.now() + 2000).toUTCString() },
              json: { error: { code: 429, message: "RESOURCE_EXHAUSTED" } },
            }
          : undefined,
    );
    const gate = createRequestGate({ engine: "google", limits: { baseDelayMs: 20 } });
    const engine = createGoogleEngine({ apiKey: "g-key", endpoint: `${server.url}${V2}`, gate });
    const result = await engine.translate({ from: "en", to: "es", format: "text", segments: ["Hi"] });
    expect(result.segments).toEqual(["es:Hi"]);
    const times = server.requests.filter((request) => request.path === V2).map((request) => request.at);
    expect(times).toHaveLength(3);
    // An HTTP date has whole seconds: at least one full second passes.
    expect((times[2] ?? 0) - (times[1] ?? 0)).toBeGreaterThanOrEqual(900);
  });
});
