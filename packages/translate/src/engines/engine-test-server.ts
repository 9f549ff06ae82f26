import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

/** One request as the test server saw it. */
export interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  /** The body read as a form (DeepL's SDK posts one). */
  form: URLSearchParams;
  /** The body read as JSON, when it is. */
  json: unknown;
  at: number;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as it is (a malformed body, say). */
  body?: string;
  delayMs?: number;
}

export interface TestServer {
  url: string;
  requests: SeenRequest[];
  /** Requests being answered right now, and the most ever at once. */
  inFlight: { now: number; max: number };
  close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 for tests: it speaks whatever API the handler plays (an
 * engine's documented request and answer shapes, its failures), and keeps every request it saw.
 * For tests only; engines reach it through their production HTTP clients and SDKs.
 */
export async function startTestServer(handle: (request: SeenRequest) => Reply | Promise<Reply>): Promise<TestServer> {
  const requests: SeenRequest[] = [];
  const inFlight = { now: 0, max: 0 };
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", async () => {
      inFlight.now++;
      inFlight.max = Math.max(inFlight.max, inFlight.now);
      const url = new URL(incoming.url ?? "/", "http://127.0.0.1");
      const body = Buffer.concat(chunks).toString("utf8");
      const seen: SeenRequest = {
        method: incoming.method ?? "GET",
        path: url.pathname,
        query: url.searchParams,
        headers: incoming.headers,
        body,
        form: new URLSearchParams(String(incoming.headers["content-type"]).includes("form") ? body : ""),
        json: parseJson(body),
        at: Date.now(),
      };
      requests.push(seen);
      const reply = await handle(seen);
      if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
      inFlight.now--;
      if (outgoing.destroyed) return;
      const text = reply.body ?? JSON.stringify(reply.json ?? {});
      outgoing.writeHead(reply.status ?? 200, { "content-type": "application/json", ...reply.headers });
      outgoing.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    inFlight,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
