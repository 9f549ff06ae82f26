import { isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  formatDuration,
  isPathInside,
  normalizeLanguageTag,
  parseDuration,
  redactSecrets,
  redactUrl,
} from "@babelwire/core";
import type { FullText, NewSource, Review, SourcePatch, SourcePushRow, SourceRow } from "@babelwire/db";
import { OperationError } from "../operation-error.ts";

export interface SourceInput {
  url?: string;
  name?: string;
  language?: string;
  targets?: string[];
  interval?: string;
  review?: Review;
  reviewByLanguage?: Record<string, Review>;
  fullText?: FullText;
  /** null clears it. */
  rightsUrl?: string | null;
  usageTerms?: string | null;
  /** PATCH only: stop (true) or restart (false) polling. */
  paused?: boolean;
}

const MIN_INTERVAL = 60;
const MAX_INTERVAL = 24 * 3600;

/** http(s) URLs as given; a file path (for offline sources) made absolute, inside the feed files folders. */
function sourceUrl(url: string, fileRoots: readonly string[]): string {
  const located = locatedUrl(url);
  if (/^https?:\/\//i.test(located)) return located;
  const path = /^file:\/\//i.test(located) ? fileURLToPath(located) : located;
  if (!fileRoots.some((root) => isPathInside(root, path))) {
    throw new OperationError(
      "invalid_request",
      `url: a file source must be inside FEED_FILES_DIR (${fileRoots[0]})`,
      "url",
    );
  }
  return located;
}

function locatedUrl(url: string): string {
  if (/^https?:\/\//i.test(url)) {
    try {
      return new URL(url).toString();
    } catch {
      throw new OperationError("invalid_request", "url is not a valid URL", "url");
    }
  }
  if (/^file:\/\//i.test(url)) return url;
  if (/^[a-z][a-z0-9+.-]*:/i.test(url))
    throw new OperationError("invalid_request", "url must be http(s) or a file path", "url");
  return isAbsolute(url) ? url : resolve(url);
}

function language(value: string): string {
  if (value === "auto") return value;
  const tag = normalizeLanguageTag(value);
  if (!tag)
    throw new OperationError("invalid_request", `language '${value}' is not a BCP 47 tag or "auto"`, "language");
  return tag;
}

function targets(values: string[]): string[] {
  if (values.length === 0)
    throw new OperationError("invalid_request", "targets must name at least one language", "targets");
  return [
    ...new Set(
      values.map((value) => {
        const tag = normalizeLanguageTag(value);
        if (!tag) throw new OperationError("invalid_request", `target '${value}' is not a BCP 47 tag`, "targets");
        return tag;
      }),
    ),
  ];
}

function reviewByLanguage(value: Record<string, Review>): Record<string, Review> {
  return Object.fromEntries(
    Object.entries(value).map(([lang, policy]) => {
      const tag = normalizeLanguageTag(lang);
      if (!tag) throw new OperationError("invalid_request", `'${lang}' is not a BCP 47 tag`, "reviewByLanguage");
      return [tag, policy];
    }),
  );
}

/** The agency's terms page: an http(s) URL, since partners are sent there. */
function rightsUrl(value: string | null | undefined): string | null | undefined {
  if (value === undefined || value === null) return value;
  try {
    const url = new URL(value.trim());
    if (url.protocol === "https:" || url.protocol === "http:") return url.toString();
  } catch {
    // reported below
  }
  throw new OperationError("invalid_request", "rightsUrl must be an http(s) URL", "rightsUrl");
}

/** Free text; blank means "none", so the default sentence applies. */
function usageTerms(value: string | null | undefined): string | null | undefined {
  if (value === undefined || value === null) return value;
  return value.trim() || null;
}

function intervalSeconds(value: string): number {
  const seconds = parseDuration(value);
  if (seconds === undefined || seconds < MIN_INTERVAL || seconds > MAX_INTERVAL) {
    throw new OperationError(
      "invalid_request",
      "interval must be a duration between 1m and 24h, such as 5m",
      "interval",
    );
  }
  return seconds;
}

/** Validates a new source as the API and the CLI take it; defaults targets to TARGET_LANGUAGES. */
export function toNewSource(input: SourceInput, defaultTargets: string[], fileRoots: readonly string[]): NewSource {
  if (!input.url?.trim()) throw new OperationError("invalid_request", "url is required", "url");
  const url = sourceUrl(input.url.trim(), fileRoots);
  // A new source is a patch of every setting, with a URL and targets it cannot do without.
  const { paused: _, ...settings } = toSourcePatch({ ...input, targets: input.targets ?? defaultTargets });
  return { ...settings, url, targets: settings.targets ?? defaultTargets };
}

export function toSourcePatch(input: SourceInput): SourcePatch {
  return {
    name: input.name?.trim() || undefined,
    language: input.language === undefined ? undefined : language(input.language),
    targets: input.targets === undefined ? undefined : targets(input.targets),
    intervalSeconds: input.interval === undefined ? undefined : intervalSeconds(input.interval),
    review: input.review,
    reviewByLanguage: input.reviewByLanguage === undefined ? undefined : reviewByLanguage(input.reviewByLanguage),
    fullText: input.fullText,
    rightsUrl: rightsUrl(input.rightsUrl),
    usageTerms: usageTerms(input.usageTerms),
    paused: input.paused,
  };
}

/** A source as the API and the CLI show it: settings, then health. */
export function sourceView(row: SourceRow, itemsLastDay: number | null = null, push: SourcePushRow | null = null) {
  return {
    id: row.id,
    // Write-only credentials: a feed URL's user info and keys never leave the database.
    url: redactUrl(row.url),
    name: row.name,
    language: row.language,
    targets: row.targets,
    interval: formatDuration(row.interval_seconds),
    review: row.review,
    reviewByLanguage: row.review_languages,
    fullText: row.full_text,
    rightsUrl: row.rights_url,
    usageTerms: row.usage_terms,
    paused: row.paused,
    createdAt: row.created_at.toISOString(),
    health: {
      // "paused" first: a paused source's other figures are as they were when it stopped.
      state: row.paused ? "paused" : row.consecutive_errors > 0 ? "failing" : "active",
      lastFetchAt: row.last_fetched_at?.toISOString() ?? null,
      lastSuccessAt: row.last_success_at?.toISOString() ?? null,
      lastStatus: row.last_status,
      errorCode: row.error_code,
      errorMessage: row.error_message === null ? null : redactSecrets(row.error_message),
      consecutiveErrors: row.consecutive_errors,
      nextPollAt: row.next_poll_at?.toISOString() ?? null,
      itemsSeen: row.items_seen,
      itemsLastDay,
      pollInterval: row.poll_interval_seconds === null ? null : formatDuration(row.poll_interval_seconds),
      medianGapSeconds: row.median_gap_seconds,
      quiet: row.quiet,
      // WebSub: the hub the feed announced and what became of our subscription there.
      push: push && {
        hub: push.hub,
        state: push.state,
        leaseExpiresAt: push.lease_expires_at?.toISOString() ?? null,
        lastPushAt: push.last_push_at?.toISOString() ?? null,
        pushes: push.pushes,
        dropped: push.dropped,
        error: push.error,
      },
    },
  };
}
