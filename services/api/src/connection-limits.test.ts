import { connect, type Socket } from "node:net";
import { openRuntime, type Runtime } from "@babelwire/runtime";
import { clearQueuePrefix, testConfig } from "@babelwire/runtime/testing";
import { afterEach, describe, expect, it } from "vitest";
import { type ApiApp, buildApp } from "./app.ts";

let runtime: Runtime | undefined;
let app: ApiApp | undefined;
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await app?.close();
  if (runtime) await clearQueuePrefix(runtime.redis, runtime.config.QUEUE_PREFIX);
  await runtime?.close();
});

async function listening(overrides: Record<string, string>): Promise<number> {
  runtime = await openRuntime(testConfig(overrides), "connection-limits-test");
  app = await buildApp(runtime);
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  if (!address || typeof address === "string") throw new Error("not listening");
  return address.port;
}

/** A connection that resolves `closed` when the server ends it. */
function open(port: number) {
  const socket = connect(port, "127.0.0.1");
  socket.on("error", () => {});
  sockets.push(socket);
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  return { socket, closed };
}

describe("idle and slow connections cannot exhaust the API", () => {
  it("closes connections that send nothing and clients that drip their headers", async () => {
    const port = await listening({ HTTP_HEADERS_TIMEOUT_SECONDS: "1" });
    const silent = Array.from({ length: 20 }, () => open(port));
    const slow = open(port);
    slow.socket.write("GET /healthz HTTP/1.1\r\nHost: x\r\n");
    const drip = setInterval(() => slow.socket.write("X-Slow: 1\r\n"), 200);
    await Promise.all([...silent.map((connection) => connection.closed), slow.closed]);
    clearInterval(drip);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
  });

  it("holds at most HTTP_MAX_CONNECTIONS at once", async () => {
    const port = await listening({ HTTP_MAX_CONNECTIONS: "10", HTTP_HEADERS_TIMEOUT_SECONDS: "60" });
    const connections = Array.from({ length: 15 }, () => open(port));
    let closed = 0;
    for (const connection of connections) void connection.closed.then(() => closed++);
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (closed >= 5) {
          clearInterval(check);
          resolve();
        }
      }, 20);
    });
    // The five over the limit went at once; the ten within it are still open (their timeout is a minute).
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(closed).toBe(5);
  });
});
