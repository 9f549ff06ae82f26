import type { FeedConnections } from "./feed-connections.ts";
import type { HostLimiter } from "./host-limiter.ts";

export interface FetchOptions {
  /** The whole request, redirects and body included. */
  timeoutMs?: number;
  /** Cap on the body after decompression. */
  maxBytes?: number;
  maxRedirects?: number;
  userAgent?: string;
  signal?: AbortSignal;
  /**
   * Whether loopback, private, link-local and other non-public addresses may be fetched.
   * Default true: feed sources are added by admins and may live on an intranet. Set false for
   * URLs that came from untrusted content; then every hop of every redirect is checked at
   * connect time, and filesystem paths are refused.
   */
  allowPrivate?: boolean;
  /**
   * One origin (scheme, host and port, as `URL.origin` gives it) whose private address is trusted
   * even when `allowPrivate` is false: an article link on the source's own origin. Only hops on
   * exactly that origin are; a redirect that leaves it is checked like any other public link.
   */
  trustedOrigin?: string;
  /** When given, a file path is read only inside one of these folders (symbolic links followed). */
  fileRoots?: readonly string[];
  /** Caps concurrent requests per host; one limiter per process, shared by all its fetches. */
  hostLimiter?: HostLimiter;
  /** Keep-alive connections to reuse, one set per process; used only when `allowPrivate` (no SSRF check needed). */
  connections?: FeedConnections;
}

export interface FeedRequest {
  /** An http(s) URL, a file:// URL or a plain filesystem path (offline sources). */
  url: string;
  /** Sent as If-None-Match. */
  etag?: string | null;
  /** Sent as If-Modified-Since. */
  lastModified?: string | null;
}

/** `cacheSeconds`: how long the server says the answer stays fresh (see cacheSeconds()); null when it does not say. */
export type FetchedFeed =
  | {
      notModified: true;
      status: 304;
      etag: string | null;
      lastModified: string | null;
      finalUrl: string;
      cacheSeconds: number | null;
    }
  | {
      notModified: false;
      status: number;
      bytes: Buffer;
      contentType: string | null;
      etag: string | null;
      lastModified: string | null;
      finalUrl: string;
      cacheSeconds: number | null;
      /** The response's Link header, where WebSub hubs are announced first. */
      link?: string | null;
    };

export interface FetchSettings {
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  userAgent: string;
  signal: AbortSignal | undefined;
  allowPrivate: boolean;
  trustedOrigin: string | undefined;
  fileRoots: readonly string[] | undefined;
  hostLimiter: HostLimiter | undefined;
  connections: FeedConnections | undefined;
  /** The Accept header: feed types for feeds, HTML for article pages. */
  accept: string;
}

export const DEFAULT_MAX_BYTES = 15 * 1024 * 1024;

const FEED_ACCEPT =
  "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5";

export function fetchSettings(options: FetchOptions = {}): FetchSettings {
  return {
    timeoutMs: options.timeoutMs ?? 20_000,
    maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
    maxRedirects: options.maxRedirects ?? 5,
    userAgent: options.userAgent ?? "Babelwire/0.1 (+https://github.com/babelwire/babelwire)",
    signal: options.signal,
    allowPrivate: options.allowPrivate ?? true,
    trustedOrigin: options.trustedOrigin,
    fileRoots: options.fileRoots,
    hostLimiter: options.hostLimiter,
    connections: options.connections,
    accept: FEED_ACCEPT,
  };
}
