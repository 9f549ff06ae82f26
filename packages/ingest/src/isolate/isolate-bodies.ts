import { errorCode, errorMessage } from "@babelwire/core";
import type { SanitizedBody } from "@babelwire/html";
import { feedBaseOf, itemBases, itemBodyHtml } from "../normalize/normalize-items.ts";
import type { ParsedFeed, ParsedItem } from "../parse/parsed-feed.ts";
import type { IsolatePool } from "./isolate-pool.ts";

export interface ItemError {
  /** The item's id (GUID) or link as the feed gave it, null when it gave neither. */
  item: string | null;
  code: string;
  message: string;
}

/**
 * Bodies from this size on are sanitized in a worker thread. Below it, the linear sanitizer
 * takes a few milliseconds at worst, less than the copy to a worker and back.
 */
export const ISOLATE_MIN_CHARS = 64 * 1024;

/**
 * Sanitizes a feed's large bodies in the pool, all at once. An item whose body fails there
 * (past the time limit, above all) is taken out of the feed with its error: the rest goes in.
 */
export async function isolateLargeBodies(
  feed: ParsedFeed,
  feedUrl: string,
  isolate: IsolatePool | undefined,
): Promise<{ feed: ParsedFeed; bodies: Map<ParsedItem, SanitizedBody>; itemErrors: ItemError[] }> {
  const bodies = new Map<ParsedItem, SanitizedBody>();
  const itemErrors: ItemError[] = [];
  const large = isolate ? feed.items.filter((item) => itemBodyHtml(item).length >= ISOLATE_MIN_CHARS) : [];
  if (isolate === undefined || large.length === 0) return { feed, bodies, itemErrors };
  const feedBase = feedBaseOf(feed, feedUrl);
  const failed = new Set<ParsedItem>();
  await Promise.all(
    large.map(async (item) => {
      try {
        const request = {
          step: "sanitize",
          html: itemBodyHtml(item),
          baseUrl: itemBases(item, feedBase).baseUrl,
        } as const;
        bodies.set(item, await isolate.run(request));
      } catch (error) {
        failed.add(item);
        itemErrors.push({ item: item.id ?? item.link, code: errorCode(error), message: errorMessage(error) });
      }
    }),
  );
  return {
    feed: failed.size === 0 ? feed : { ...feed, items: feed.items.filter((item) => !failed.has(item)) },
    bodies,
    itemErrors,
  };
}
