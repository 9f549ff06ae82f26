import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type ApiApp, buildApp } from "@babelwire/api";
import { createToken } from "@babelwire/db";
import { FeedError, fetchFeed, parseFeed } from "@babelwire/ingest";
import { openRuntime, type Runtime } from "@babelwire/runtime";
import { clearQueuePrefix, testConfig } from "@babelwire/runtime/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let runtime: Runtime;
let app: ApiApp;
let server: Server;
let base: string;

beforeAll(async () => {
  runtime = await openRuntime(testConfig(), "limits-test");
  app = await buildApp(runtime);
  server = createServer((request, response) => {
    if (request.url === "/huge") {
      // 100 MB announced and streamed: the reader must stop at its cap, not buffer it all.
      response.writeHead(200, { "content-type": "application/rss+xml" });
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      let sent = 0;
      const pump = () => {
        while (sent < 100 && response.write(chunk)) sent++;
        if (sent >= 100) response.end();
        else response.once("drain", pump);
      };
      response.on("error", () => {});
      pump();
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server?.closeAllConnections();
  server?.close();
  await app?.close();
  await clearQueuePrefix(runtime.redis, runtime.config.QUEUE_PREFIX);
  await runtime?.close();
});

function heapAfterGc(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

async function codeOf(work: () => unknown): Promise<string | undefined> {
  try {
    await work();
    return undefined;
  } catch (error) {
    return error instanceof FeedError ? error.code : String(error);
  }
}

describe("what is too big is refused, in bounded memory", () => {
  it("answers a request body over the limit with 413", async () => {
    const { token } = await createToken(runtime.db, { role: "admin" });
    const response = await app.inject({
      method: "POST",
      url: "/v1/sources?check=false",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      payload: JSON.stringify({ url: "https://x.test/", name: "x".repeat(2 * 1024 * 1024) }),
    });
    expect(response.statusCode).toBe(413);
  });

  it("refuses entity-expansion bombs without expanding them", async () => {
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from(
      { length: 9 },
      (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ""};`.repeat(10)}">`,
    ).join("")}]><rss version="2.0"><channel><title>&lol9;</title></channel></rss>`;
    const before = heapAfterGc();
    const code = await codeOf(() => parseFeed(laughs, {}));
    const grown = heapAfterGc() - before;
    // A billion laughs expanded is 3 GB; refused, the heap barely moves.
    if (code === undefined) {
      const feed = await parseFeed(laughs, {});
      expect(JSON.stringify(feed).length).toBeLessThan(100_000);
    } else expect(code).toMatch(/^FEED_/);
    expect(grown).toBeLessThan(64 * 1024 * 1024);
  });

  it("refuses an external entity instead of reading the file it names", async () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
      <rss version="2.0"><channel><title>t</title><item><title>&xxe;</title></item></channel></rss>`;
    const outcome = await parseFeed(xxe, {}).then(
      (feed) => JSON.stringify(feed),
      (error: unknown) => (error instanceof FeedError ? error.code : String(error)),
    );
    expect(outcome).not.toContain("root:");
  });

  it("stops reading a 100 MB feed at the cap with FEED_TOO_LARGE", async () => {
    const before = heapAfterGc();
    const code = await codeOf(() => fetchFeed({ url: `${base}/huge` }, { allowPrivate: true }));
    expect(code).toBe("FEED_TOO_LARGE");
    expect(heapAfterGc() - before).toBeLessThan(64 * 1024 * 1024);
  });
});
