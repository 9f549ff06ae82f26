import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { brotliCompressSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FeedError } from "../feed-error.ts";
import { fetchFeed } from "./fetch-feed.ts";

const FEED = '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>';
const ETAG = '"v1"';
const LAST_MODIFIED = "Wed, 31 Jan 2018 20:15:15 GMT";

let server: Server;
let base: string;
let lastHeaders: IncomingHttpHeaders = {};
let bigBytesWritten = 0;

function route(path: string, response: ServerResponse, headers: IncomingHttpHeaders): void {
  switch (path) {
    case "/feed":
      if (headers["if-none-match"] === ETAG || headers["if-modified-since"] === LAST_MODIFIED) {
        response.writeHead(304, { etag: ETAG, "last-modified": LAST_MODIFIED }).end();
        return;
      }
      response.writeHead(200, { "content-type": "application/rss+xml", etag: ETAG, "last-modified": LAST_MODIFIED });
      response.end(FEED);
      return;
    case "/relative-redirect":
      response.writeHead(302, { location: "feed" }).end();
      return;
    case "/loop-a":
      response.writeHead(301, { location: "/loop-b" }).end();
      return;
    case "/loop-b":
      response.writeHead(307, { location: "/loop-a" }).end();
      return;
    case "/to-file":
      response.writeHead(302, { location: "file:///etc/passwd" }).end();
      return;
    case "/error":
      response.writeHead(500).end("boom");
      return;
    case "/cached":
      response.writeHead(200, { "cache-control": "public, max-age=900", etag: ETAG }).end(FEED);
      return;
    case "/cached-304":
      response.writeHead(304, { "cache-control": "max-age=300", etag: ETAG }).end();
      return;
    case "/expires":
      response.writeHead(200, { date: "Sat, 01 Mar 2025 09:00:00 GMT", expires: "Sat, 01 Mar 2025 10:00:00 GMT" });
      response.end(FEED);
      return;
    case "/throttled":
      response.writeHead(429, { "retry-after": "120" }).end();
      return;
    case "/unavailable":
      response.writeHead(503, {
        date: "Sat, 01 Mar 2025 09:00:00 GMT",
        "retry-after": "Sat, 01 Mar 2025 09:05:00 GMT",
      });
      response.end();
      return;
    case "/missing":
      response.writeHead(404).end("nope");
      return;
    case "/gzip":
      response.writeHead(200, { "content-encoding": "gzip" }).end(gzipSync(FEED));
      return;
    case "/brotli":
      response.writeHead(200, { "content-encoding": "br" }).end(brotliCompressSync(FEED));
      return;
    case "/gzip-bomb":
      response.writeHead(200, { "content-encoding": "gzip" }).end(gzipSync(Buffer.alloc(20 * 1024 * 1024)));
      return;
    case "/big":
      streamForever(response);
      return;
    case "/hang":
      response.writeHead(200, { "content-type": "application/rss+xml" });
      response.write("<rss>");
      return;
    case "/drip":
      response.writeHead(200, { "content-type": "application/rss+xml" });
      drip(response);
      return;
    default:
      response.writeHead(404).end();
  }
}

/** 100 MB of feed, written only as fast as the client reads it. */
function streamForever(response: ServerResponse): void {
  bigBytesWritten = 0;
  response.writeHead(200, { "content-type": "application/rss+xml" });
  const chunk = Buffer.alloc(64 * 1024, "a");
  const write = (): void => {
    while (bigBytesWritten < 100 * 1024 * 1024 && !response.destroyed) {
      bigBytesWritten += chunk.length;
      if (!response.write(chunk)) {
        response.once("drain", write);
        return;
      }
    }
    response.end();
  };
  write();
}

function drip(response: ServerResponse): void {
  const timer = setInterval(() => (response.destroyed ? clearInterval(timer) : response.write(" ")), 20);
  response.on("close", () => clearInterval(timer));
}

beforeAll(async () => {
  server = createServer((request, response) => {
    lastHeaders = request.headers;
    route(new URL(request.url ?? "/", "http://localhost").pathname, response, request.headers);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function failure(promise: Promise<unknown>): Promise<FeedError> {
  const error = await promise.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof FeedError)) throw new Error(`expected a FeedError, got ${String(error)}`);
  return error;
}

describe("fetchFeed over HTTP", () => {
  it("returns the body with its validators and sends feed-friendly request headers", async () => {
    const fetched = await fetchFeed({ url: `${base}/feed` });
    expect(fetched).toMatchObject({ notModified: false, status: 200, etag: ETAG, lastModified: LAST_MODIFIED });
    expect(fetched.notModified === false && fetched.bytes.toString()).toBe(FEED);
    expect(fetched.notModified === false && fetched.contentType).toBe("application/rss+xml");
    expect(lastHeaders.accept).toContain("application/rss+xml");
    expect(lastHeaders["accept-encoding"]).toBe("gzip, deflate, br");
    expect(lastHeaders["user-agent"]).toMatch(/^Babelwire\//);
  });

  it("answers not-modified to a conditional GET with a matching ETag or Last-Modified", async () => {
    const byEtag = await fetchFeed({ url: `${base}/feed`, etag: ETAG });
    expect(byEtag).toEqual({
      notModified: true,
      status: 304,
      etag: ETAG,
      lastModified: LAST_MODIFIED,
      finalUrl: `${base}/feed`,
      cacheSeconds: null,
    });
    expect(lastHeaders["if-none-match"]).toBe(ETAG);
    const byDate = await fetchFeed({ url: `${base}/feed`, lastModified: LAST_MODIFIED });
    expect(byDate.notModified).toBe(true);
    expect(lastHeaders["if-modified-since"]).toBe(LAST_MODIFIED);
  });

  it("follows a relative redirect and reports the final URL", async () => {
    const fetched = await fetchFeed({ url: `${base}/relative-redirect` });
    expect(fetched.finalUrl).toBe(`${base}/feed`);
    expect(fetched.notModified === false && fetched.bytes.toString()).toBe(FEED);
  });

  it("fails a redirect loop with FEED_TOO_MANY_REDIRECTS", async () => {
    const error = await failure(fetchFeed({ url: `${base}/loop-a` }, { maxRedirects: 3 }));
    expect(error.code).toBe("FEED_TOO_MANY_REDIRECTS");
  });

  it("refuses a redirect to a file:// URL", async () => {
    const error = await failure(fetchFeed({ url: `${base}/to-file` }));
    expect(error.code).toBe("FEED_INVALID_URL");
  });

  it("fails a 500 answer with FEED_HTTP_500 and keeps the status", async () => {
    const error = await failure(fetchFeed({ url: `${base}/error` }));
    expect(error.code).toBe("FEED_HTTP_500");
    expect(error.status).toBe(500);
    expect(error.permanent).toBe(false);
  });

  it("reports the freshness a server gives with Cache-Control or Expires, on 200 and on 304", async () => {
    expect((await fetchFeed({ url: `${base}/cached` })).cacheSeconds).toBe(900);
    expect((await fetchFeed({ url: `${base}/cached-304`, etag: ETAG })).cacheSeconds).toBe(300);
    expect((await fetchFeed({ url: `${base}/expires` })).cacheSeconds).toBe(3600);
    expect((await fetchFeed({ url: `${base}/feed` })).cacheSeconds).toBeNull();
  });

  it("carries Retry-After on a 429 as seconds, and keeps it retryable", async () => {
    const error = await failure(fetchFeed({ url: `${base}/throttled` }));
    expect(error).toMatchObject({ code: "FEED_HTTP_429", retryAfterSeconds: 120, permanent: false });
  });

  it("carries a Retry-After date on a 503 as seconds from the server's Date", async () => {
    const error = await failure(fetchFeed({ url: `${base}/unavailable` }));
    expect(error).toMatchObject({ code: "FEED_HTTP_503", retryAfterSeconds: 300 });
  });

  it("has no Retry-After on other failures", async () => {
    const error = await failure(fetchFeed({ url: `${base}/error` }));
    expect(error.retryAfterSeconds).toBeNull();
  });

  it("fails a 404 answer with a permanent FEED_HTTP_404", async () => {
    const error = await failure(fetchFeed({ url: `${base}/missing` }));
    expect(error.code).toBe("FEED_HTTP_404");
    expect(error.permanent).toBe(true);
  });

  it("never puts the URL's credentials or query in the error message", async () => {
    const url = `http://editor:s3cret@127.0.0.1:${new URL(base).port}/error?api_key=topsecret`;
    const error = await failure(fetchFeed({ url }));
    expect(error.message).not.toMatch(/s3cret|topsecret|editor/);
    expect(error.message).toContain("/error");
  });

  it("decompresses gzip and brotli bodies", async () => {
    for (const name of ["gzip", "brotli"]) {
      const fetched = await fetchFeed({ url: `${base}/${name}` });
      expect(fetched.notModified === false && fetched.bytes.toString()).toBe(FEED);
    }
  });

  it("stops reading a body as soon as it passes maxBytes", async () => {
    const error = await failure(fetchFeed({ url: `${base}/big` }, { maxBytes: 100_000 }));
    expect(error.code).toBe("FEED_TOO_LARGE");
    // The server only writes as fast as it is read: far less than its 100 MB went out.
    expect(bigBytesWritten).toBeLessThan(20 * 1024 * 1024);
  });

  it("applies maxBytes to the decompressed size of a gzip bomb", async () => {
    const error = await failure(fetchFeed({ url: `${base}/gzip-bomb` }, { maxBytes: 1_000_000 }));
    expect(error.code).toBe("FEED_TOO_LARGE");
  });

  it("times out a server that sends headers and then hangs", async () => {
    const started = Date.now();
    const error = await failure(fetchFeed({ url: `${base}/hang` }, { timeoutMs: 300 }));
    expect(error.code).toBe("FEED_TIMEOUT");
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("times out a server that drips bytes slower than the deadline allows", async () => {
    const error = await failure(fetchFeed({ url: `${base}/drip` }, { timeoutMs: 300 }));
    expect(error.code).toBe("FEED_TIMEOUT");
  });

  it("rethrows the caller's abort reason instead of a feed error", async () => {
    const controller = new AbortController();
    const pending = fetchFeed({ url: `${base}/hang` }, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error("shutting down")), 50);
    await expect(pending).rejects.toThrow("shutting down");
  });

  it("fails a refused connection with FEED_CONNECTION", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await failure(fetchFeed({ url: `http://127.0.0.1:${port}/feed` }));
    expect(error.code).toBe("FEED_CONNECTION");
  });

  it("fails an unresolvable host with FEED_DNS", async () => {
    const error = await failure(fetchFeed({ url: "http://feed.babelwire.invalid/rss" }));
    expect(error.code).toBe("FEED_DNS");
  });

  it("refuses URL schemes other than http, https and file", async () => {
    const error = await failure(fetchFeed({ url: "ftp://example.com/feed.xml" }));
    expect(error.code).toBe("FEED_INVALID_URL");
  });
});

describe("fetchFeed from the filesystem", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "babelwire-fetch-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("reads a plain path and a file:// URL, and answers not-modified for an unchanged file", async () => {
    const file = path.join(dir, "feed.xml");
    await writeFile(file, FEED);
    const fetched = await fetchFeed({ url: file });
    expect(fetched.notModified === false && fetched.bytes.toString()).toBe(FEED);
    const again = await fetchFeed({ url: fetched.finalUrl, lastModified: fetched.lastModified });
    expect(again).toMatchObject({ notModified: true, status: 304 });
  });

  it("fails a missing path with FEED_FILE_NOT_FOUND", async () => {
    const error = await failure(fetchFeed({ url: path.join(dir, "absent.xml") }));
    expect(error.code).toBe("FEED_FILE_NOT_FOUND");
  });

  it("refuses a file larger than maxBytes without reading it", async () => {
    const file = path.join(dir, "large.xml");
    await writeFile(file, Buffer.alloc(50_000, "a"));
    const error = await failure(fetchFeed({ url: file }, { maxBytes: 10_000 }));
    expect(error.code).toBe("FEED_TOO_LARGE");
  });
});
