import { type Db, listLiveLanguagesOfSource } from "@babelwire/db";
import type { SourceInput } from "@babelwire/operations";
import type { FeedGenerations } from "../feed-cache/feed-generations.ts";

/** What RSS, Atom and JSON Feed items show of their source: the attribution and the rights. */
const SHOWN_IN_FEEDS = ["name", "usageTerms", "rightsUrl"] as const;

/**
 * After a change to a source has committed: when it touched what feeds show, every cached feed
 * in a language where the source has live items is dropped (ninjs is rendered per request and
 * needs nothing). The re-rendered feeds carry the source's edit time as Last-Modified, so a
 * reader's If-Modified-Since gets the new feed, not a 304.
 */
export async function invalidateFeedsOfSource(
  db: Db,
  generations: Pick<FeedGenerations, "bump">,
  sourceId: string,
  patch: SourceInput,
): Promise<void> {
  if (!SHOWN_IN_FEEDS.some((field) => patch[field] !== undefined)) return;
  for (const lang of await listLiveLanguagesOfSource(db, sourceId)) await generations.bump(lang);
}
