import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
// The module's own binding: the global `performance` is a lazy getter, paid on every read.
import { performance } from "node:perf_hooks";
import type { Metrics } from "@babelwire/metrics";
import type { Logger } from "@babelwire/runtime";
import { type FeedFormat, type FeedKeyParts, feedLinkHeader, websubHubUrl } from "@babelwire/syndicate";
import { nearbyDecimalStrings } from "../../decimal-string.ts";
import { readScope } from "../../entitlements/licence.ts";
import {
  encodedBodyNow,
  type FeedEncoding,
  MIN_COMPRESSED_BYTES,
  preferredEncoding,
} from "../../feed-cache/encodings.ts";
import type { FeedCache } from "../../feed-cache/feed-cache.ts";
import { isNotModified } from "../../feed-cache/not-modified.ts";
import type { RenderedFeed } from "../../feed-cache/rendered-feed.ts";
import { type Principal, principalOf } from "../../plugins/auth.ts";
import { type PartnerRateLimit, rateLimitState } from "../../plugins/rate-limit.ts";
import type { TokenCache, TokenHolder } from "../../plugins/token-cache.ts";
import { CACHE_CONTROL, contentType, type FeedQuery, FORMATS, feedParts, READERS, tagNormalizer } from "./feeds.ts";

export interface FastFeedPathOptions {
  tokens: Pick<TokenCache, "peek" | "changes" | "heldUntil">;
  rateLimit: PartnerRateLimit;
  cache: Pick<FeedCache, "peek" | "changes" | "heldUntil">;
  metrics: Pick<Metrics, "httpRecorder">;
  logger: Logger;
  /** The request id Fastify would give: the reader's X-Request-Id when well-formed, else a new one. */
  requestId: (given: string | string[] | undefined) => string;
  /** Where the API is reached: the WebSub `Link` header names the hub and this feed under it. */
  publicBaseUrl: string;
}

/** Answers the request and says true, or leaves it untouched and says false (Fastify then answers). */
export type FastFeedPath = (request: IncomingMessage, response: ServerResponse) => boolean;

const FEED_PATH = /^\/v1\/feeds\/([A-Za-z0-9-]{1,35})\.(rss|atom|json)$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LIMIT = /^[1-9]\d{0,2}$/;
const READ_ROLES = new Set<string>(READERS.roles);
const TYPES = new Map(FORMATS.map((spec) => [spec.format, contentType(spec)]));

/** What a feed URL asks for, read from it once; null when the URL is not one this path answers. */
interface FeedRequest {
  format: FeedFormat;
  /** The feed's key parts before the reader's licence narrows the sources. */
  parts: FeedKeyParts;
  token: string | undefined;
  route: string;
  /** The route's duration series for 200 and for 304, bound on first use. */
  recorders: Partial<Record<200 | 304, (seconds: number) => void>>;
  type: string;
  /** The WebSub `Link` header, as the feed route sends it: the URL as asked, token included, is the topic. */
  link: string;
}

/** What a token may read at a URL: the feed's parts narrowed to its licence. */
interface Scoped {
  principal: Principal;
  parts: FeedKeyParts;
}

/**
 * A connection's last request and what was answered to it. A reader polls one URL over its
 * keep-alive connection: while neither cache has changed (their change counts) nor aged past what
 * was read (`until`), the token, its scope, the rendering and the answer's headers are the ones
 * read for the previous request. Any store, revocation, licence change, pushed generation or
 * rendering kept bumps a count, so the next request reads both caches again.
 */
interface ConnectionState {
  url: string;
  asked: FeedRequest | null;
  /** The token presented, as the rest was read for it (undefined: nothing read yet). */
  token: string | undefined;
  scoped: Scoped | null;
  feed: RenderedFeed | undefined;
  tokenChangesSeen: number;
  feedChangesSeen: number;
  /** When the token's or the rendering's entry ages out (as Date.now()). */
  until: number;
  /**
   * The answer's headers as a name, value list, with empty values where each request puts its
   * own: the rate-limit counts (partners) and, last, the request id.
   */
  headers: string[];
}

/** Distinct feed URLs whose reading is kept; past it the readings start over (a reader making up URLs gains nothing). */
const KNOWN_URLS = 1000;

/**
 * The cached partner feed answered before Fastify sees the request, when everything it needs
 * is already in this process's memory: the token (token cache), the feed at its pushed
 * generation (feed cache), the compressed copy the reader asked for, and a request of the
 * token's rate-limit lease. On a cached feed Fastify's routing, hooks, validation, child logger
 * and reply cost more than twice what a bare node:http server spends on the same bytes
 * (`bench feed-304`); this path spends about what it does.
 *
 * It decides nothing Fastify would decide differently: anything else — a token or feed not in
 * memory, an error of any kind (401, 403, 400, 429), an unusual query, HEAD, a compressed copy
 * not made yet — goes to the feed routes untouched, which answer it and fill the caches, so the
 * next such request comes here. The rate-limit request is taken last, once the answer is
 * certain, so a request is never counted twice.
 */
export function createFastFeedPath(options: FastFeedPathOptions): FastFeedPath {
  const { tokens, rateLimit, cache, metrics, logger } = options;
  const languageTag = tagNormalizer();
  const hub = websubHubUrl(options.publicBaseUrl);
  // Reading the URL (path, query, language tag, Link header) and the licence cost more than the
  // rest of a 304 (bench feed-304), so each is done once: per URL, then per token holder and URL.
  // A holder is never changed, only replaced (a reload, a changed partner), so its entries are
  // right for as long as it is the one the token cache gives.
  const known = new Map<string, FeedRequest | null>();
  const scopes = new WeakMap<TokenHolder, Map<FeedRequest, Scoped | null>>();

  // Comparing the URL with the one the connection asked for last costs a tenth of hashing the
  // new string to find it in the map.
  const connections = new WeakMap<Socket, ConnectionState>();

  function connectionState(connection: Socket, url: string): ConnectionState {
    const last = connections.get(connection);
    if (last?.url === url) return last;
    let asked = known.get(url);
    if (asked === undefined) {
      asked = readFeedUrl(url);
      if (known.size >= KNOWN_URLS) known.clear();
      known.set(url, asked);
    }
    const state: ConnectionState = {
      url,
      asked,
      token: undefined,
      scoped: null,
      feed: undefined,
      tokenChangesSeen: -1,
      feedChangesSeen: -1,
      until: 0,
      headers: [],
    };
    connections.set(connection, state);
    return state;
  }

  function readFeedUrl(url: string): FeedRequest | null {
    const mark = url.indexOf("?");
    const match = FEED_PATH.exec(mark < 0 ? url : url.slice(0, mark));
    const query = match ? feedQuery(mark < 0 ? "" : url.slice(mark + 1)) : null;
    if (!match || !query) return null;
    const format = match[2] as FeedFormat;
    try {
      return {
        format,
        parts: feedParts(languageTag, format, match[1] ?? "", query),
        token: query.token,
        route: `/v1/feeds/:lang.${format}`,
        recorders: {},
        type: TYPES.get(format) ?? "application/octet-stream",
        link: feedLinkHeader(hub, `${options.publicBaseUrl}${url}`),
      };
    } catch {
      return null;
    }
  }

  function scopedFor(holder: TokenHolder, asked: FeedRequest): Scoped | null {
    let byRequest = scopes.get(holder);
    if (byRequest === undefined) {
      byRequest = new Map();
      scopes.set(holder, byRequest);
    }
    let found = byRequest.get(asked);
    if (found !== undefined) return found;
    found = scope(holder, asked);
    if (byRequest.size >= KNOWN_URLS) byRequest.clear();
    byRequest.set(asked, found);
    return found;
  }

  const limitHeader = String(rateLimit.limit);
  const remainingString = nearbyDecimalStrings();
  const resetString = nearbyDecimalStrings();
  // Held once: a request checks two fields, whatever shape the caches themselves have.
  const tokenChanges = tokens.changes;
  const feedChanges = cache.changes;
  const wallClock = wallClockFrom();

  /** Reads the token and the feed from the caches for the connection's state; false when either is not there. */
  function readAnswer(state: ConnectionState, asked: FeedRequest, token: string, now: number): boolean {
    // Read before the caches: a change made after this bumps a count past what is kept here.
    state.tokenChangesSeen = tokenChanges.value;
    state.feedChangesSeen = feedChanges.value;
    state.token = undefined;
    const holder = tokens.peek(token, now);
    const scoped = holder ? scopedFor(holder, asked) : null;
    const feed = scoped ? cache.peek(scoped.parts, now) : undefined;
    if (!scoped || !feed) return false;
    if (scoped !== state.scoped || feed !== state.feed) {
      state.headers = answerHeaders(scoped, asked, feed, limitHeader);
    }
    state.token = token;
    state.scoped = scoped;
    state.feed = feed;
    state.until = Math.min(tokens.heldUntil(token), cache.heldUntil(scoped.parts));
    return true;
  }

  // Each request costs a bare node:http server 13–18 µs (bench feed-304), so what this adds is
  // counted in tenths of a microsecond: the caches are read once per connection and change
  // (ConnectionState), the request's headers are read from its raw list (readHeaders), little is
  // made per request but the header list, header values are strings made without V8's
  // number-string cache (nearbyDecimalStrings), and the debug line's arguments are built only
  // when debug is on.
  return function answerFromMemory(request, response) {
    if (request.method !== "GET") return false;
    const started = performance.now();
    // For the token's, the lease's and the rendering's expiry.
    const now = wallClock(started);
    const state = connectionState(request.socket, request.url ?? "");
    const asked = state.asked;
    if (!asked) return false;
    const headers = readHeaders(request.rawHeaders);
    if (!headers) return false;
    const token = presentedToken(headers.authorization, asked.token);
    if (token === undefined) return false;
    if (
      token !== state.token ||
      state.until <= now ||
      state.tokenChangesSeen !== tokenChanges.value ||
      state.feedChangesSeen !== feedChanges.value
    ) {
      if (!readAnswer(state, asked, token, now)) return false;
    }
    const scoped = state.scoped as Scoped;
    const feed = state.feed as RenderedFeed;
    let status: 200 | 304 = 304;
    let body: Buffer | undefined;
    let encoding: FeedEncoding | undefined;
    if (!isNotModified(headers, feed)) {
      status = 200;
      encoding = feed.body.length >= MIN_COMPRESSED_BYTES ? preferredEncoding(headers.acceptEncoding) : undefined;
      body = encoding ? encodedBodyNow(feed, encoding) : feed.body;
      // Not compressed yet: the route compresses it once, and the next reader gets it here.
      if (!body) return false;
    }
    // Name, value, name, value: node:http writes such a list without walking an object's keys.
    // It reads the list while writing the head and keeps no hold on it, so a 304 fills in the
    // connection's own list (one request at a time on a connection); a 200 adds to a copy.
    const answer: Array<string | number> = body ? state.headers.slice() : state.headers;
    if (scoped.principal.role === "partner") {
      const hit = rateLimit.take(scoped.principal.tokenId, now);
      if (!hit || hit.count > rateLimit.limit) return false;
      const [remaining, resetSeconds] = rateLimitState(rateLimit.limit, hit);
      answer[REMAINING] = remainingString(remaining);
      answer[RESET] = resetString(resetSeconds);
    }
    const id = options.requestId(headers.requestId);
    answer[answer.length - 1] = id;
    if (body) {
      answer.push("content-type", asked.type, "content-length", body.length);
      if (encoding) answer.push("content-encoding", encoding);
    }
    response.writeHead(status, answer);
    response.end(body);
    let record = asked.recorders[status];
    if (record === undefined) {
      record = metrics.httpRecorder({ method: "GET", route: asked.route, status });
      asked.recorders[status] = record;
    }
    record((performance.now() - started) / 1000);
    if (logger.isLevelEnabled("debug")) {
      logger.debug({ reqId: id, route: asked.route, statusCode: status }, "feed served from memory");
    }
    return true;
  };
}

/**
 * The wall clock (as Date.now()) from a reading of the monotonic one: Date.now() itself at most
 * once a millisecond, with the monotonic time since added. The fast path reads the monotonic
 * clock for its duration metric anyway, so a request reads one clock where it read two.
 */
export function wallClockFrom(): (monotonic: number) => number {
  let readAt = Number.NEGATIVE_INFINITY;
  let wall = 0;
  return (monotonic) => {
    if (monotonic - readAt >= 1) {
      readAt = monotonic;
      wall = Date.now();
    }
    return wall + (monotonic - readAt);
  };
}

/** Where a partner's answer holds its rate-limit counts (`answerHeaders`). */
const REMAINING = 3;
const RESET = 5;

/**
 * The headers every answer to this reader for this rendering carries, as a name, value list:
 * the rate-limit headers first for a partner (counts at REMAINING and RESET, filled per
 * request), the validators, caching, Vary and the WebSub Link, and the request id last.
 */
function answerHeaders(scoped: Scoped, asked: FeedRequest, feed: RenderedFeed, limit: string): string[] {
  const rateLimited =
    scoped.principal.role === "partner"
      ? ["x-ratelimit-limit", limit, "x-ratelimit-remaining", "", "x-ratelimit-reset", ""]
      : [];
  return [
    ...rateLimited,
    ...["etag", feed.etag, "last-modified", feed.lastModifiedHttp, "cache-control", CACHE_CONTROL],
    ...["vary", "Accept-Encoding", "link", asked.link, "x-request-id", ""],
  ];
}

/** The reader and the feed's parts narrowed to its licence; null for anything Fastify must answer. */
function scope(holder: TokenHolder, asked: FeedRequest): Scoped | null {
  if (!READ_ROLES.has(holder.row.role)) return null;
  if (holder.row.partner_id && holder.row.role === "partner" && !holder.partner) return null;
  const principal = principalOf(holder);
  try {
    const sources = readScope(principal.licence, asked.parts.lang, asked.parts.source);
    return { principal, parts: sources === undefined ? asked.parts : { ...asked.parts, sources } };
  } catch {
    return null;
  }
}

/** The request headers the fast path reads (`readHeaders`). */
interface ReadHeaders {
  authorization: string | undefined;
  ifNoneMatch: string | undefined;
  ifModifiedSince: string | undefined;
  acceptEncoding: string | undefined;
  requestId: string | undefined;
}

/** Filled anew by each `readHeaders`: the fast path is synchronous, so one request uses it at a time. */
const READ: ReadHeaders = {
  authorization: undefined,
  ifNoneMatch: undefined,
  ifModifiedSince: undefined,
  acceptEncoding: undefined,
  requestId: undefined,
};

/**
 * The headers the fast path reads, from the request's raw name, value list; null when one of
 * them is sent twice (Fastify then answers, with node's rules for joining or dropping the
 * repeat). Node has built `request.headers` already (it reads Expect from it), but that object's
 * shape is whichever headers the client sent, in its order, so each name read from it is a
 * lookup by name; the raw list is read in one pass, with names compared by length first.
 */
function readHeaders(raw: string[]): ReadHeaders | null {
  READ.authorization = undefined;
  READ.ifNoneMatch = undefined;
  READ.ifModifiedSince = undefined;
  READ.acceptEncoding = undefined;
  READ.requestId = undefined;
  for (let index = 0; index < raw.length; index += 2) {
    const field = fieldOf(raw[index] as string);
    if (field === undefined) continue;
    if (READ[field] !== undefined) return null;
    READ[field] = raw[index + 1] as string;
  }
  return READ;
}

/**
 * Where a header the fast path reads goes in `ReadHeaders`. Names are compared only when their
 * length is one of those read, so most are never lowercased.
 */
function fieldOf(name: string): keyof ReadHeaders | undefined {
  switch (name.length) {
    case 13:
      if (isName(name, "if-none-match")) return "ifNoneMatch";
      return isName(name, "authorization") ? "authorization" : undefined;
    case 17:
      return isName(name, "if-modified-since") ? "ifModifiedSince" : undefined;
    case 15:
      return isName(name, "accept-encoding") ? "acceptEncoding" : undefined;
    case 12:
      return isName(name, "x-request-id") ? "requestId" : undefined;
    default:
      return undefined;
  }
}

/** A header name as sent (any case) against one in lower case. */
function isName(sent: string, lower: string): boolean {
  return sent === lower || sent.toLowerCase() === lower;
}

/** As the auth plugin reads it: the Authorization header first, else `?token=`. */
function presentedToken(header: string | undefined, query: string | undefined): string | undefined {
  if (header?.toLowerCase().startsWith("bearer ")) return header.slice(7).trim();
  return query ? query : undefined;
}

/**
 * The feed query when it holds only what the route's schema takes, each once and plainly
 * valid; null for anything else, which Fastify then validates (and answers 400 if need be).
 */
function feedQuery(search: string): (FeedQuery & { token?: string }) | null {
  const query: FeedQuery & { token?: string } = {};
  if (search === "") return query;
  const seen = new Set<string>();
  for (const pair of search.split("&")) {
    const eq = pair.indexOf("=");
    const name = eq < 0 ? pair : pair.slice(0, eq);
    if (seen.has(name)) return null;
    seen.add(name);
    let value: string;
    try {
      value = decodeURIComponent((eq < 0 ? "" : pair.slice(eq + 1)).replaceAll("+", " "));
    } catch {
      return null;
    }
    if (name === "token") query.token = value;
    else if (name === "source" && UUID.test(value)) query.source = value;
    else if (name === "category" && value.length <= 200) query.category = value;
    else if (name === "limit" && LIMIT.test(value) && Number(value) <= 100) query.limit = Number(value);
    else return null;
  }
  return query;
}
