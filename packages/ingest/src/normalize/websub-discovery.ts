import type { WebSubLinks } from "../parse/parsed-feed.ts";

/** Where to subscribe for pushes of a feed: its hub, and the topic URL to name there. */
export interface WebSubDiscovery {
  hub: string;
  topic: string;
}

/**
 * WebSub discovery (§4): the HTTP Link header first, then the feed's own links; the first hub
 * found, and `rel="self"` as the topic (the URL the feed was fetched from when it names none).
 * Relative URLs resolve against the fetched URL; only http(s) hubs and topics count.
 */
export function discoverWebSub(
  linkHeader: string | null | undefined,
  body: WebSubLinks | undefined,
  fetchedUrl: string,
): WebSubDiscovery | null {
  const header = parseLinkHeader(linkHeader ?? "");
  const hub = absolute(header.hubs[0], fetchedUrl) ?? absolute(body?.hubs[0], fetchedUrl);
  if (!hub) return null;
  const topic = absolute(header.self ?? undefined, fetchedUrl) ?? absolute(body?.self ?? undefined, fetchedUrl);
  return { hub, topic: topic ?? fetchedUrl };
}

function absolute(href: string | undefined, base: string): string | null {
  if (!href) return null;
  try {
    const url = new URL(href, base);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

/** `<url>; rel="hub", <url>; rel="self"` (RFC 8288): the hub and self targets, in order. */
export function parseLinkHeader(header: string): WebSubLinks {
  const hubs: string[] = [];
  let self: string | null = null;
  for (const match of header.matchAll(/<([^>]*)>((?:\s*;\s*[^;,<]+)*)/g)) {
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(match[2] ?? "");
    const rels = (rel?.[1] ?? rel?.[2] ?? "").toLowerCase().split(/\s+/);
    const target = match[1]?.trim() ?? "";
    if (rels.includes("hub")) hubs.push(target);
    if (rels.includes("self") && self === null) self = target;
  }
  return { hubs, self };
}
