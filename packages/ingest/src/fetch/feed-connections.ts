import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";

/**
 * Keep-alive connections for polling feeds, one set per process (like the host limiter) and
 * handed to every poll: an agency's hundred feeds on one host, or a source polled every
 * minute, reuse a connection instead of paying a TCP (and TLS) handshake each time.
 *
 * Only for URLs an operator configured (`allowPrivate`): a pooled socket is reused without a
 * new DNS lookup, so it would skip the SSRF guard's check at connect time.
 */
export interface FeedConnections {
  http: HttpAgent;
  https: HttpsAgent;
  /** Closes the idle connections; requests still running finish on theirs. */
  close(): void;
}

// Idle sockets are dropped after this long: shorter than the 5 s most servers (Node's own
// default among them) keep an idle connection, so that we rarely reuse one the server is
// closing. Servers that say `Keep-Alive: timeout=N` are believed (Node does that).
const IDLE_MS = 4_000;

export function createFeedConnections(): FeedConnections {
  const options = { keepAlive: true, timeout: IDLE_MS, maxFreeSockets: 16, scheduling: "lifo" as const };
  const http = new HttpAgent(options);
  const https = new HttpsAgent(options);
  return {
    http,
    https,
    close() {
      http.destroy();
      https.destroy();
    },
  };
}
