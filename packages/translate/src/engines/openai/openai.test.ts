import { CodedError } from "@babelwire/core";
import { afterEach, describe, expect, it } from "vitest";
import { createApertiumEngine } from "../apertium/apertium.ts";
import { translateWithChain } from "../chain.ts";
import { type Reply, type SeenRequest, startTestServer, type TestServer } from "../engine-test-server.ts";
import { createRequestGate } from "../resilience/request-gate.ts";
import { createOpenAiEngine } from "./openai.ts";
import { checkOutput } from "./openai-output.ts";

interface ChatRequest {
  model: string;
  response_format: { type: string; json_schema?: { schema: unknown } };
  messages: Array<{ role: string; content: string }>;
}

/** An OpenAI-compatible /v1/chat/completions answering with the content `answer` gives for the sent segments. */
function chatServer(answer: (segments: string[], request: ChatRequest, call: number) => string | Reply) {
  let call = 0;
  return startTestServer((request: SeenRequest) => {
    if (request.path !== "/v1/chat/completions") return { status: 404, json: { error: { message: "no route" } } };
    if (request.headers.authorization !== "Bearer sk-test") {
      return { status: 401, json: { error: { message: "Incorrect API key", code: "invalid_api_key" } } };
    }
    const body = request.json as ChatRequest;
    const segments = (JSON.parse(body.messages[1]?.content ?? "{}") as { segments: string[] }).segments;
    const content = answer(segments, body, call++);
    if (typeof content !== "string") return content;
    return {
      json: {
        id: "chatcmpl-1",
        object: "chat.completion",
        created: 1,
        model: body.model,
        choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content } }],
      },
    };
  });
}

const wellDone = (segments: string[]) =>
  JSON.stringify({ segments: segments.map((segment) => segment.replace(/>([^<]+)</g, ">«$1»<")) });

async function failure(promise: Promise<unknown>): Promise<CodedError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof CodedError)) throw new Error(`expected a CodedError, got ${String(error)}`);
  return error;
}

const REQUEST = {
  from: "en",
  to: "es",
  format: "html" as const,
  segments: ['<p>See <a href="https://x.test/r">the report</a>.</p>', "<p>The world is <b>big</b>.</p>"],
};

describe("checkOutput", () => {
  it("takes an answer with the same count and the same tags, links with the same targets", () => {
    const check = checkOutput(JSON.stringify({ segments: ['<p>Vea <a href="https://x.test/r">el informe</a>.</p>'] }), [
      '<p>See <a href="https://x.test/r">the report</a>.</p>',
    ]);
    expect(check).toEqual({ ok: true, segments: ['<p>Vea <a href="https://x.test/r">el informe</a>.</p>'] });
  });

  it.each([
    ["not json", "the answer is not JSON"],
    [JSON.stringify({ text: [] }), 'no "segments" array'],
    [JSON.stringify({ segments: ["<p>a</p>", "<p>b</p>"] }), "2 segments came back for 1"],
    [JSON.stringify({ segments: ["<p>Vea el informe.</p>"] }), "segment 1 changed its markup"],
    [JSON.stringify({ segments: ['<p>Vea <a href="https://evil.test">el informe</a>.</p>'] }), "changed its markup"],
    [JSON.stringify({ segments: ['<p>Vea <a href="https://x.test/r">el informe.</p>'] }), "changed its markup"],
  ])("refuses %s", (content, reason) => {
    const check = checkOutput(content, ['<p>See <a href="https://x.test/r">the report</a>.</p>']);
    expect(check.ok).toBe(false);
    expect(check.ok ? "" : check.reason).toContain(reason);
  });
});

describe("createOpenAiEngine (openai SDK) against an OpenAI-compatible chat server", () => {
  let server: TestServer | undefined;
  afterEach(async () => server?.close());

  it("asks for structured JSON with the headline and the glossary in the prompt, and returns the segments", async () => {
    server = await chatServer(wellDone);
    const engine = createOpenAiEngine({ baseUrl: `${server.url}/v1`, apiKey: "sk-test", model: "local-llm" });
    const result = await engine.translate({
      ...REQUEST,
      context: "NATO chief meets Trump",
      glossary: [{ term: "Donald Trump", translation: "Donald Trump" }],
    });
    expect(result.segments).toEqual([
      '<p>«See »<a href="https://x.test/r">«the report»</a>«.»</p>',
      "<p>«The world is »<b>«big»</b>«.»</p>",
    ]);
    expect(result.charactersSent).toBe(REQUEST.segments.join("").length);
    const body = server.requests[0]?.json as ChatRequest;
    expect(body.model).toBe("local-llm");
    expect(body.response_format.type).toBe("json_schema");
    const system = body.messages[0]?.content ?? "";
    expect(system).toContain("English (en)");
    expect(system).toContain("Spanish (es)");
    expect(system).toContain("NATO chief meets Trump");
    expect(system).toContain("- Donald Trump → Donald Trump");
    expect(system).toContain("exactly 2 strings");
  });

  it("asks once more, saying why, when the first answer drops a segment", async () => {
    server = await chatServer((segments, _request, call) =>
      call === 0 ? JSON.stringify({ segments: segments.slice(1) }) : wellDone(segments),
    );
    const engine = createOpenAiEngine({ baseUrl: `${server.url}/v1`, apiKey: "sk-test", model: "m" });
    const result = await engine.translate(REQUEST);
    expect(result.segments).toHaveLength(2);
    expect(server.requests).toHaveLength(2);
    const retry = server.requests[1]?.json as ChatRequest;
    expect(retry.messages.at(-1)?.content).toContain("1 segments came back for 2");
  });

  it("fails with ENGINE_BAD_OUTPUT after a second bad answer, and the chain falls over to Apertium", async () => {
    server = await chatServer((segments) => JSON.stringify({ segments: segments.map(() => "<p>sin enlaces</p>") }));
    const engine = createOpenAiEngine({ baseUrl: `${server.url}/v1`, apiKey: "sk-test", model: "m" });
    const error = await failure(engine.translate(REQUEST));
    expect(error.code).toBe("ENGINE_BAD_OUTPUT");
    expect(error.message).toContain("changed its markup");
    expect(server.requests).toHaveLength(2);

    const chained = await translateWithChain([engine, createApertiumEngine()], REQUEST);
    expect(chained.engine).toBe("apertium");
    expect(chained.failures).toEqual(["openai: ENGINE_BAD_OUTPUT"]);
    expect(chained.segments[1]).toContain("mundo");
  });

  it("honours Retry-After on a 429 and reads insufficient_quota as ENGINE_QUOTA_EXCEEDED", async () => {
    server = await chatServer((segments, _request, call) =>
      call === 0
        ? { status: 429, headers: { "retry-after": "1" }, json: { error: { message: "slow down", code: null } } }
        : call === 1
          ? wellDone(segments)
          : { status: 429, json: { error: { message: "You exceeded your quota", code: "insufficient_quota" } } },
    );
    const gate = createRequestGate({ engine: "openai", limits: { baseDelayMs: 20 } });
    const engine = createOpenAiEngine({ baseUrl: `${server.url}/v1`, apiKey: "sk-test", model: "m", gate });
    await engine.translate(REQUEST);
    const [first, second] = server.requests;
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(950);
    const quota = await failure(engine.translate(REQUEST));
    expect(quota.code).toBe("ENGINE_QUOTA_EXCEEDED");
    expect(gate.circuit()).toBe("open");
  });

  it("reads a bad key as ENGINE_AUTH_FAILED", async () => {
    server = await chatServer(wellDone);
    const engine = createOpenAiEngine({ baseUrl: `${server.url}/v1`, apiKey: "sk-wrong", model: "m" });
    expect((await failure(engine.translate(REQUEST))).code).toBe("ENGINE_AUTH_FAILED");
  });
});
