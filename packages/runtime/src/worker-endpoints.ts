import { timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Runtime } from "./open-runtime.ts";
import { checkReadiness } from "./readiness.ts";

export interface WorkerEndpoints {
  /** The port it listens on, or undefined when the port was taken and it serves nothing. */
  port: number | undefined;
  close(): Promise<void>;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json; charset=utf-8" }).end(JSON.stringify(body));
}

async function answer(runtime: Runtime, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const path = (request.url ?? "/").split("?")[0];
  if (request.method !== "GET") return sendJson(response, 405, error("method_not_allowed", "Only GET is served."));
  if (path === "/healthz") return sendJson(response, 200, { status: "ok" });
  if (path === "/readyz") {
    const { ready, checks, message } = await checkReadiness(runtime);
    return sendJson(
      response,
      ready ? 200 : 503,
      ready ? { status: "ready", checks } : { ...error("not_ready", message), checks },
    );
  }
  if (path === "/metrics") {
    const token = runtime.config.METRICS_TOKEN;
    const header = request.headers.authorization ?? "";
    const given = header.toLowerCase().startsWith("bearer ") ? header.slice(7).trim() : "";
    if (token !== undefined && !sameSecret(given, token)) {
      return sendJson(response, 401, error("unauthorized", "This route needs the metrics token."));
    }
    response.writeHead(200, { "content-type": runtime.metrics.contentType }).end(await runtime.metrics.render());
    return;
  }
  sendJson(response, 404, error("not_found", "A worker serves /healthz, /readyz and /metrics."));
}

function error(code: string, message: string) {
  return { error: { code, message } };
}

/**
 * A worker process's own small HTTP server on HOST:PORT: `/healthz` and `/readyz` for
 * Kubernetes probes and `/metrics` for Prometheus, since job durations, polls and engine
 * counters are recorded in the worker, not in the API. With the port taken (several workers on
 * one machine with the same PORT), it says so in the log and the worker runs on without it.
 */
export async function serveWorkerEndpoints(runtime: Runtime): Promise<WorkerEndpoints> {
  const server = createServer((request, response) => {
    answer(runtime, request, response).catch((cause: unknown) => {
      runtime.logger.error({ err: cause }, "worker endpoint failed");
      if (!response.headersSent) sendJson(response, 500, error("internal", "The worker could not answer."));
    });
  });
  const listening = await new Promise<boolean>((resolve, reject) => {
    server.once("error", (cause: NodeJS.ErrnoException) => {
      if (cause.code === "EADDRINUSE") resolve(false);
      else reject(cause);
    });
    server.listen(runtime.config.PORT, runtime.config.HOST, () => resolve(true));
  });
  if (!listening) {
    runtime.logger.warn(
      { port: runtime.config.PORT },
      "port taken: this worker serves no /healthz, /readyz or /metrics; give it its own PORT",
    );
    return { port: undefined, close: async () => {} };
  }
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
