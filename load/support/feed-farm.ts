import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type NewsItem, newsItem, rssOf } from "../../bench/fixtures/news-items.ts";

/** Items an active feed lists at a time, as an agency's "latest news" does. */
const WINDOW = 10;

export interface FeedFarm {
  /** Feed `index`'s URL (from 0). */
  feedUrl(index: number): string;
  /** When feed `index` was requested, ms since the epoch, every request (200 and 304 alike). */
  requests(index: number): readonly number[];
  /** Full answers (200) sent so far, over all feeds. */
  fullAnswers(): number;
  /** Adds one new item to each active feed: its next conditional GET gets a 200. */
  publishRound(): void;
  close(): Promise<void>;
}

/**
 * `count` RSS feeds behind one local HTTP server, as one agency's server carries many feeds:
 * each starts with one item and an ETag and answers a conditional GET with the same ETag by
 * 304; the first `active` feeds get a new item on every `publishRound`.
 */
export async function startFeedFarm(count: number, active: number): Promise<FeedFarm> {
  const items: NewsItem[][] = Array.from({ length: count }, () => []);
  const versions: number[] = Array.from({ length: count }, () => 0);
  const requests: number[][] = Array.from({ length: count }, () => []);
  let full = 0;
  let base = "";
  const add = (index: number) => {
    const n = (versions[index] ?? 0) + 1;
    versions[index] = n;
    const feed = items[index] ?? [];
    feed.push(newsItem(n, `${base}/stories/${index}`, new Date(), `feed-${index}`));
    if (feed.length > WINDOW) feed.shift();
  };
  const server: Server = createServer((request, response) => {
    const index = Number(/^\/feeds\/(\d+)\.xml$/.exec(request.url ?? "")?.[1] ?? Number.NaN);
    if (!(index >= 0 && index < count)) {
      response.writeHead(404).end();
      return;
    }
    requests[index]?.push(Date.now());
    const etag = `"${index}-${versions[index]}"`;
    if (request.headers["if-none-match"] === etag) {
      response.writeHead(304, { etag }).end();
      return;
    }
    full++;
    response
      .writeHead(200, { "content-type": "application/rss+xml; charset=utf-8", etag })
      .end(rssOf(`Load feed ${index}`, base, items[index] ?? []));
  });
  // Hundreds of sources on one host: the poller keeps a few connections alive to it.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  for (let index = 0; index < count; index++) add(index);
  return {
    feedUrl: (index) => `${base}/feeds/${index}.xml`,
    requests: (index) => requests[index] ?? [],
    fullAnswers: () => full,
    publishRound() {
      for (let index = 0; index < active; index++) add(index);
    },
    close: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
