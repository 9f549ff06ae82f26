import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createFeedConnections, type FeedConnections } from "./feed-connections.ts";
import { fetchFeed } from "./fetch-feed.ts";

const ETAG = '"v1"';
const FEED = '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>';

let server: Server;
let base: string;
let connectionsOpened = 0;
/** Requests answered on each socket, to drop a socket on its second request when asked to. */
const requestsOn = new WeakMap<Socket, number>();
let dropReusedSocket = false;
let dropped = 0;
let connections: FeedConnections;

beforeAll(async () => {
  server = createServer((request, response) => {
    const count = (requestsOn.get(request.socket) ?? 0) + 1;
    requestsOn.set(request.socket, count);
    // A server closing a kept-alive connection just as the client reuses it.
    if (dropReusedSocket && count > 1) {
      dropped++;
      return void request.socket.destroy();
    }
    if (request.headers["if-none-match"] === ETAG) return void response.writeHead(304, { etag: ETAG }).end();
    response.writeHead(200, { "content-type": "application/rss+xml", etag: ETAG }).end(FEED);
  });
  server.on("connection", () => connectionsOpened++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

afterEach(() => {
  connections?.close();
  dropReusedSocket = false;
});

describe("fetching feeds over kept-alive connections", () => {
  it("reuses one connection for a 200 and the conditional GETs that follow it", async () => {
    connections = createFeedConnections();
    const before = connectionsOpened;
    expect(await fetchFeed({ url: `${base}/feed` }, { connections })).toMatchObject({ status: 200 });
    for (let poll = 0; poll < 3; poll++) {
      expect(await fetchFeed({ url: `${base}/feed`, etag: ETAG }, { connections })).toMatchObject({
        notModified: true,
        status: 304,
        etag: ETAG,
      });
    }
    expect(connectionsOpened - before).toBe(1);
  });

  it("opens a connection per request without a pool", async () => {
    const before = connectionsOpened;
    await fetchFeed({ url: `${base}/feed` });
    await fetchFeed({ url: `${base}/feed`, etag: ETAG });
    expect(connectionsOpened - before).toBe(2);
  });

  it("never pools the connections of URLs that must be checked for private addresses", async () => {
    connections = createFeedConnections();
    // Loopback is refused before any connection when allowPrivate is false: the pool is not asked.
    await expect(fetchFeed({ url: `${base}/feed` }, { connections, allowPrivate: false })).rejects.toMatchObject({
      code: "FEED_BLOCKED_ADDRESS",
    });
    expect(Object.keys(connections.http.sockets)).toEqual([]);
    expect(Object.keys(connections.http.freeSockets)).toEqual([]);
  });

  it("retries once on a new connection when the server drops the kept-alive one it reused", async () => {
    connections = createFeedConnections();
    await fetchFeed({ url: `${base}/feed` }, { connections });
    dropReusedSocket = true;
    const before = connectionsOpened;
    expect(await fetchFeed({ url: `${base}/feed`, etag: ETAG }, { connections })).toMatchObject({ status: 304 });
    expect(dropped).toBe(1);
    expect(connectionsOpened - before).toBe(1);
  });
});
