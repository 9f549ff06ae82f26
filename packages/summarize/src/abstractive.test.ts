import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkSummary, createAbstractiveSummarizer } from "./abstractive.ts";

const ARTICLE =
  "NATO Secretary General Mark Rutte met 27 leaders in Budapest. He said North Korea sends troops to Russia. " +
  "The leaders discussed air defense for Ukraine. They agreed to meet again in spring. Rutte thanked the hosts.";

/** An OpenAI-compatible /v1/chat/completions whose answers the test sets, one per call. */
let answers: Array<{ status: number; content?: string }> = [];
const seen: Array<{
  authorization?: string;
  body: { model: string; messages: Array<{ role: string; content: string }> };
}> = [];
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      seen.push({ authorization: request.headers.authorization, body: JSON.parse(body) });
      const answer = answers.shift() ?? { status: 500 };
      if (answer.status !== 200) {
        response.writeHead(answer.status, { "content-type": "application/json" });
        response.end(JSON.stringify({ error: { message: "server error" } }));
        return;
      }
      response.writeHead(200, { "content-type": "application/json" }).end(
        JSON.stringify({
          id: "chatcmpl-1",
          object: "chat.completion",
          created: 1,
          model: "test",
          choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: answer.content } }],
        }),
      );
    });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(() => {
  server?.close();
});

const summarizer = () => createAbstractiveSummarizer({ baseUrl: url, apiKey: "sk-test", model: "lead-writer" });

describe("the abstractive summarizer", () => {
  it("asks the endpoint for a lead in the article's language and takes a faithful answer", async () => {
    answers = [{ status: 200, content: "Mark Rutte met 27 leaders in Budapest to discuss air defense for Ukraine." }];
    const summary = await summarizer().summarize(ARTICLE, "en");
    expect(summary).toBe("Mark Rutte met 27 leaders in Budapest to discuss air defense for Ukraine.");
    const request = seen.at(-1);
    expect(request?.authorization).toBe("Bearer sk-test");
    expect(request?.body.model).toBe("lead-writer");
    expect(request?.body.messages[0]?.content).toContain("BCP 47 tag is en");
    expect(request?.body.messages[1]?.content).toBe(ARTICLE);
  });

  it("does not believe a number the article does not contain, and falls back to its own sentences", async () => {
    answers = [{ status: 200, content: "Rutte met 35 leaders in Budapest." }];
    const summary = await summarizer().summarize(ARTICLE, "en");
    expect(summary).not.toContain("35");
    expect(ARTICLE).toContain(summary.split(". ")[0] ?? "-");
  });

  it("fails with a code when the endpoint keeps failing, so the job is retried", async () => {
    answers = [{ status: 500 }, { status: 500 }, { status: 500 }];
    await expect(summarizer().summarize(ARTICLE, "en")).rejects.toMatchObject({ code: "SUMMARIZER_UNAVAILABLE" });
  });
});

describe("checkSummary", () => {
  it("refuses empty, marked-up and overlong summaries", () => {
    expect(checkSummary("", ARTICLE)).toMatch(/empty/);
    expect(checkSummary("<b>Rutte</b> spoke.", ARTICLE)).toMatch(/markup/);
    expect(checkSummary("x".repeat(700), ARTICLE)).toMatch(/longer/);
    expect(checkSummary("Rutte met 27 leaders.", ARTICLE)).toBeUndefined();
  });
});
