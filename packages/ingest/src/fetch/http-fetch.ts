import {
  type Agent as HttpAgent,
  request as httpRequest,
  type IncomingMessage,
  type OutgoingHttpHeaders,
} from "node:http";
import { request as httpsRequest } from "node:https";
import type { LookupFunction } from "node:net";
import { finished } from "node:stream/promises";
import { FeedError } from "../feed-error.ts";
import { cacheSeconds, retryAfterSeconds } from "./cache-headers.ts";
import { describeUrl } from "./describe-url.ts";
import type { FeedConnections } from "./feed-connections.ts";
import type { FeedRequest, FetchedFeed, FetchSettings } from "./fetch-types.ts";
import { networkError } from "./network-error.ts";
import { readBody, tooLarge } from "./read-body.ts";
import { assertPublicLiteral, publicOnlyLookup } from "./ssrf-guard.ts";

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * A conditional GET with redirects followed by hand, so that they are counted, each hop is
 * checked against the SSRF guard, and a redirect to a non-HTTP scheme (file://) is refused.
 * One deadline covers every hop and the body, so a server that drips bytes slowly still times out.
 *
 * With a host limiter, the slot is taken for the requested URL's host and held across its
 * redirects. Waiting for it does not count against the deadline: the queue is ours, not the
 * server's fault. A redirect to another host takes no second slot, since two fetches each
 * holding one host while waiting for the other's would wait on each other.
 */
export async function fetchHttp(request: FeedRequest, url: URL, settings: FetchSettings): Promise<FetchedFeed> {
  const limiter = settings.hostLimiter;
  if (limiter === undefined) return fetchWithDeadline(request, url, settings);
  return limiter.run(url.hostname, () => fetchWithDeadline(request, url, settings), settings.signal);
}

async function fetchWithDeadline(request: FeedRequest, url: URL, settings: FetchSettings): Promise<FetchedFeed> {
  const deadline = AbortSignal.timeout(settings.timeoutMs);
  const signal = settings.signal ? AbortSignal.any([settings.signal, deadline]) : deadline;
  try {
    return await followRedirects(request, url, settings, signal);
  } catch (error) {
    if (settings.signal?.aborted) throw settings.signal.reason;
    if (deadline.aborted) {
      throw new FeedError(
        "FEED_TIMEOUT",
        `The feed at ${describeUrl(url)} did not answer within ${settings.timeoutMs} ms.`,
        {
          cause: error,
        },
      );
    }
    if (error instanceof FeedError) throw error;
    throw networkError(error, describeUrl(url));
  }
}

async function followRedirects(
  request: FeedRequest,
  url: URL,
  settings: FetchSettings,
  signal: AbortSignal,
): Promise<FetchedFeed> {
  let current = url;
  for (let redirects = 0; ; redirects++) {
    // Decided per hop: a redirect may leave the one origin that was trusted.
    const trusted = settings.allowPrivate || current.origin === settings.trustedOrigin;
    const lookup = trusted ? undefined : publicOnlyLookup;
    // Node connects to an IP literal without calling `lookup`, so literals are checked apart.
    if (lookup) assertPublicLiteral(current);
    const response = await send(current, requestHeaders(request, settings), signal, lookup, settings.connections);
    const location = response.headers.location;
    if (!REDIRECT_STATUSES.has(response.statusCode ?? 0) || location === undefined) {
      return await settle(response, current, request, settings);
    }
    response.destroy();
    if (redirects >= settings.maxRedirects) {
      throw new FeedError(
        "FEED_TOO_MANY_REDIRECTS",
        `The feed at ${describeUrl(url)} redirected more than ${settings.maxRedirects} times.`,
      );
    }
    current = redirectTarget(current, location);
  }
}

function send(
  url: URL,
  headers: OutgoingHttpHeaders,
  signal: AbortSignal,
  lookup: LookupFunction | undefined,
  connections: FeedConnections | undefined,
): Promise<IncomingMessage> {
  const https = url.protocol === "https:";
  const request = https ? httpsRequest : httpRequest;
  // Without a pool (agent: false) every request has its own connection. A pooled socket skips
  // `lookup`, the SSRF guard's check at connect time, so untrusted URLs never get one.
  const agent =
    lookup === undefined && connections !== undefined ? (https ? connections.https : connections.http) : false;
  const attempt = (pooled: HttpAgent | false): Promise<IncomingMessage> =>
    new Promise((resolve, reject) => {
      const options = { method: "GET", headers, signal, agent: pooled, ...(lookup ? { lookup } : {}) };
      const outgoing = request(url, options, resolve);
      outgoing.on("error", (error) => {
        // A kept-alive connection the server closed as we reused it: once more on a new one.
        if (outgoing.reusedSocket && isStaleConnection(error) && !signal.aborted) resolve(attempt(false));
        else reject(error);
      });
      outgoing.end();
    });
  return attempt(agent);
}

function isStaleConnection(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "ECONNRESET" || code === "EPIPE";
}

function requestHeaders(request: FeedRequest, settings: FetchSettings): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {
    accept: settings.accept,
    "accept-encoding": "gzip, deflate, br",
    "user-agent": settings.userAgent,
  };
  if (request.etag) headers["if-none-match"] = request.etag;
  if (request.lastModified) headers["if-modified-since"] = request.lastModified;
  return headers;
}

function redirectTarget(from: URL, location: string): URL {
  let target: URL;
  try {
    target = new URL(location, from);
  } catch (error) {
    throw new FeedError("FEED_INVALID_URL", `The feed at ${describeUrl(from)} redirected to an invalid URL.`, {
      cause: error,
      permanent: true,
    });
  }
  if (target.protocol !== "http:" && target.protocol !== "https:") {
    throw new FeedError("FEED_INVALID_URL", `The feed at ${describeUrl(from)} redirected to a non-HTTP URL.`, {
      permanent: true,
    });
  }
  return target;
}

async function settle(
  response: IncomingMessage,
  url: URL,
  request: FeedRequest,
  settings: FetchSettings,
): Promise<FetchedFeed> {
  const status = response.statusCode ?? 0;
  const etag = response.headers.etag ?? null;
  const lastModified = response.headers["last-modified"] ?? null;
  const finalUrl = url.href;
  const fresh = cacheSeconds(response.headers, new Date());
  if (status === 304) {
    // A 304 has no body: reading to its end hands a kept-alive connection back to the pool
    // before the next request of a burst of polls to the same host asks for one.
    response.resume();
    await finished(response);
    return {
      notModified: true,
      status,
      etag: etag ?? request.etag ?? null,
      lastModified: lastModified ?? request.lastModified ?? null,
      finalUrl,
      cacheSeconds: fresh,
    };
  }
  if (status < 200 || status > 299) {
    response.destroy();
    throw httpError(response, url);
  }
  const bytes = await readLimitedBody(response, describeUrl(url), settings.maxBytes);
  const contentType = response.headers["content-type"] ?? null;
  const link = linkHeader(response);
  return { notModified: false, status, bytes, contentType, etag, lastModified, finalUrl, cacheSeconds: fresh, link };
}

/** Several Link headers are one list (RFC 9110 §5.3); Node keeps only the first unless joined here. */
function linkHeader(response: IncomingMessage): string | null {
  const values: string[] = [];
  for (let index = 0; index < response.rawHeaders.length; index += 2) {
    if (response.rawHeaders[index]?.toLowerCase() === "link") values.push(response.rawHeaders[index + 1] ?? "");
  }
  return values.length > 0 ? values.join(", ") : null;
}

async function readLimitedBody(response: IncomingMessage, where: string, maxBytes: number): Promise<Buffer> {
  const encoding = response.headers["content-encoding"];
  const declaredLength = Number(response.headers["content-length"]);
  try {
    if (encoding === undefined && declaredLength > maxBytes) throw tooLarge(where, maxBytes);
    return await readBody(response, encoding, maxBytes, where);
  } catch (error) {
    response.destroy();
    throw error;
  }
}

function httpError(response: IncomingMessage, url: URL): FeedError {
  const status = response.statusCode ?? 0;
  // Client errors other than "try later" ones will not fix themselves by polling again.
  const permanent = status >= 400 && status < 500 && status !== 408 && status !== 425 && status !== 429;
  const retryAfter = status === 429 || status === 503 ? retryAfterSeconds(response.headers, new Date()) : null;
  return new FeedError(`FEED_HTTP_${status}`, `The feed at ${describeUrl(url)} answered HTTP ${status}.`, {
    status,
    permanent,
    retryAfterSeconds: retryAfter,
  });
}
