export interface FetchOptions {
  /** The whole request, redirects and body included. */
  timeoutMs?: number;
  /** Cap on the body after decompression. */
  maxBytes?: number;
  maxRedirects?: number;
  userAgent?: string;
  signal?: AbortSignal;
}

export interface FeedRequest {
  /** An http(s) URL, a file:// URL or a plain filesystem path (offline sources). */
  url: string;
  /** Sent as If-None-Match. */
  etag?: string | null;
  /** Sent as If-Modified-Since. */
  lastModified?: string | null;
}

export type FetchedFeed =
  | { notModified: true; status: 304; etag: string | null; lastModified: string | null; finalUrl: string }
  | {
      notModified: false;
      status: number;
      bytes: Buffer;
      contentType: string | null;
      etag: string | null;
      lastModified: string | null;
      finalUrl: string;
    };

export interface FetchSettings {
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  userAgent: string;
  signal: AbortSignal | undefined;
}

export const DEFAULT_MAX_BYTES = 15 * 1024 * 1024;

export function fetchSettings(options: FetchOptions = {}): FetchSettings {
  return {
    timeoutMs: options.timeoutMs ?? 20_000,
    maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
    maxRedirects: options.maxRedirects ?? 5,
    userAgent: options.userAgent ?? "Babelwire/0.1 (+https://github.com/babelwire/babelwire)",
    signal: options.signal,
  };
}
