import type { Server } from "node:http";
import type { Socket } from "node:net";
import type { Config } from "@babelwire/config";

type Limits = Pick<Config, "HTTP_MAX_CONNECTIONS" | "HTTP_HEADERS_TIMEOUT_SECONDS" | "HTTP_KEEP_ALIVE_SECONDS">;

/** How often Node checks for clients too slow to send their headers (its default is 30 s). */
export const CONNECTIONS_CHECKING_INTERVAL_MS = 1000;

/**
 * A client may send at most this many requests over one connection, so no client keeps one
 * forever: the last answer says `Connection: close`, and a client that sends more on it anyway
 * gets 503s from Node.
 */
export const MAX_REQUESTS_PER_SOCKET = 1000;

/** The options Fastify passes on to `http.createServer` and sets on the server it makes. */
export function serverOptions(config: Limits) {
  return {
    http: { connectionsCheckingInterval: CONNECTIONS_CHECKING_INTERVAL_MS },
    keepAliveTimeout: config.HTTP_KEEP_ALIVE_SECONDS * 1000,
    maxRequestsPerSocket: MAX_REQUESTS_PER_SOCKET,
    // The whole request, body included; long-poll answers are not requests, and are not limited by it.
    requestTimeout: 30_000,
  };
}

/**
 * Idle and slow connections cannot pile up until file descriptors run out: at most
 * HTTP_MAX_CONNECTIONS at once (the next are refused by the kernel's backlog handling), headers
 * within HTTP_HEADERS_TIMEOUT_SECONDS, and a connection that sends nothing at all is closed
 * after the same time. Node only times out a request once its first byte arrived.
 */
export function limitConnections(server: Server, config: Limits): void {
  const headersMs = config.HTTP_HEADERS_TIMEOUT_SECONDS * 1000;
  server.maxConnections = config.HTTP_MAX_CONNECTIONS;
  server.headersTimeout = headersMs;
  server.on("connection", (socket: Socket) => {
    const silent = setTimeout(() => {
      if (socket.bytesRead === 0) socket.destroy();
    }, headersMs);
    silent.unref();
    socket.once("close", () => clearTimeout(silent));
  });
}
