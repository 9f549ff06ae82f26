import { decodeHtml } from "../extract/decode-html.ts";
import { FeedError } from "../feed-error.ts";
import { fetchFeed } from "../fetch/fetch-feed.ts";
import type { FetchOptions } from "../fetch/fetch-types.ts";
import { type FeedReadResult, readFeed } from "../read-feed.ts";
import { COMMON_FEED_PATHS, feedLinksOf } from "./feed-links.ts";

/** A feed that answered: where it is, its title, and how many items it holds. */
export interface FoundFeed {
  url: string;
  title: string;
  items: number;
}

/** Discovery reads at most this many announced feeds: pages that link dozens are category indexes. */
const MAX_ANNOUNCED = 5;

/**
 * Reads a would-be source once, as the poller will. A web page instead of a feed gets feed
 * autodiscovery, as Miniflux does: the feeds the page announces with `<link rel="alternate">`,
 * else the usual paths on its site. One feed found is taken; several are offered (a
 * FEED_NOT_A_FEED error naming them); none leaves the page's own error. Any other failure
 * is the feed error the poller would have stored, with its code.
 */
export async function findFeed(url: string, options: FetchOptions = {}): Promise<FoundFeed> {
  try {
    return found(url, await readFeed({ url }, options));
  } catch (error) {
    if (!(error instanceof FeedError) || error.code !== "FEED_NOT_A_FEED" || !/^https?:/i.test(url)) throw error;
    const discovered = await discover(url, options);
    if (discovered.length === 1 && discovered[0]) return discovered[0];
    if (discovered.length > 1) {
      const urls = discovered.map((feed) => feed.url).join(", ");
      throw new FeedError(
        "FEED_NOT_A_FEED",
        `${url} is a web page that links several feeds; add one of them: ${urls}`,
        {
          permanent: true,
        },
      );
    }
    throw new FeedError(
      "FEED_NOT_A_FEED",
      `${url} is a web page, and neither its links nor the usual paths lead to a feed.`,
      {
        cause: error,
        permanent: true,
      },
    );
  }
}

async function discover(pageUrl: string, options: FetchOptions): Promise<FoundFeed[]> {
  const page = await fetchFeed({ url: pageUrl }, options);
  if (page.notModified) return [];
  const announced = feedLinksOf(decodeHtml(page.bytes, page.contentType), page.finalUrl).slice(0, MAX_ANNOUNCED);
  const fromLinks = (await Promise.all(announced.map((link) => tryRead(link, options)))).filter(isFound);
  if (fromLinks.length > 0) return distinct(fromLinks);
  // No announced feed: the first usual path that answers with one is the site's feed.
  for (const path of COMMON_FEED_PATHS) {
    const feed = await tryRead(new URL(path, page.finalUrl).toString(), options);
    if (feed) return [feed];
  }
  return [];
}

async function tryRead(url: string, options: FetchOptions): Promise<FoundFeed | null> {
  try {
    return found(url, await readFeed({ url }, options));
  } catch (error) {
    if (error instanceof FeedError) return null;
    throw error;
  }
}

function found(url: string, feed: FeedReadResult): FoundFeed {
  if (feed.notModified) return { url, title: "", items: 0 };
  return { url, title: feed.title, items: feed.articles.length };
}

function isFound(feed: FoundFeed | null): feed is FoundFeed {
  return feed !== null;
}

/** An RSS and an Atom link to the same items are still two feeds to choose from; only the same URL is one. */
function distinct(feeds: FoundFeed[]): FoundFeed[] {
  const seen = new Set<string>();
  return feeds.filter((feed) => !seen.has(feed.url) && seen.add(feed.url));
}
