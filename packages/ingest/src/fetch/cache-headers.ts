import type { IncomingHttpHeaders } from "node:http";

/**
 * For how many more seconds the server says its answer stays fresh, or null when it does not
 * say. `no-store`/`no-cache` mean 0; `s-maxage` wins over `max-age` (we are a shared cache:
 * partners read what we poll); without either, `Expires` counts from the server's own `Date`
 * so that a skewed local clock does not matter. The response's `Age` is taken off.
 */
export function cacheSeconds(headers: IncomingHttpHeaders, now: Date): number | null {
  const directives = cacheDirectives(headers["cache-control"]);
  if (directives.has("no-store") || directives.has("no-cache")) return 0;
  const maxAge = deltaSeconds(directives.get("s-maxage")) ?? deltaSeconds(directives.get("max-age"));
  const lifetime = maxAge ?? expiresSeconds(headers.expires, serverNow(headers.date, now));
  if (lifetime === null) return null;
  return Math.max(0, lifetime - (deltaSeconds(headers.age) ?? 0));
}

/** `Retry-After` as seconds to wait, from delta-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterSeconds(headers: IncomingHttpHeaders, now: Date): number | null {
  const value = headers["retry-after"]?.trim();
  if (value === undefined || value === "") return null;
  const delta = deltaSeconds(value);
  if (delta !== null) return delta;
  const at = httpDate(value);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - serverNow(headers.date, now).getTime()) / 1000));
}

function cacheDirectives(header: string | undefined): Map<string, string> {
  const directives = new Map<string, string>();
  for (const part of (header ?? "").split(",")) {
    const [name = "", value = ""] = part.split("=", 2).map((piece) => piece.trim());
    if (name !== "") directives.set(name.toLowerCase(), value.replace(/^"|"$/g, ""));
  }
  return directives;
}

function deltaSeconds(value: string | undefined): number | null {
  if (value === undefined || !/^\d+$/.test(value.trim())) return null;
  return Number(value.trim());
}

function expiresSeconds(expires: string | undefined, now: Date): number | null {
  if (expires === undefined) return null;
  const at = httpDate(expires);
  // An unreadable Expires (often "0" or "-1") means "already expired".
  if (Number.isNaN(at)) return 0;
  return Math.max(0, Math.floor((at - now.getTime()) / 1000));
}

function serverNow(date: string | undefined, now: Date): Date {
  const at = date === undefined ? Number.NaN : httpDate(date);
  return Number.isNaN(at) ? now : new Date(at);
}

/** Date.parse reads "0" or "3000" as years; an HTTP date always names its month. */
function httpDate(value: string): number {
  return /[a-z]{3}/i.test(value) ? Date.parse(value) : Number.NaN;
}
