import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FeedError } from "../feed-error.ts";
import { fetchFeed } from "./fetch-feed.ts";
import { assertPublicAddress, publicOnlyLookup } from "./ssrf-guard.ts";

const FEED = '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>';

let server: Server;
let port: number;
let requestsSeen = 0;

beforeAll(async () => {
  server = createServer((_request, response) => {
    requestsSeen++;
    response.writeHead(200, { "content-type": "application/rss+xml" }).end(FEED);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

beforeEach(() => {
  requestsSeen = 0;
});

afterAll(async () => {
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

describe("fetchFeed with allowPrivate: false", () => {
  it("still fetches a loopback server when allowPrivate is left at its default", async () => {
    const fetched = await fetchFeed({ url: `http://127.0.0.1:${port}/feed` });
    expect(fetched.notModified === false && fetched.bytes.toString()).toBe(FEED);
    expect(requestsSeen).toBe(1);
  });

  it("refuses a server on 127.0.0.1 with a permanent FEED_BLOCKED_ADDRESS and sends it nothing", async () => {
    const error = await failure(fetchFeed({ url: `http://127.0.0.1:${port}/feed` }, { allowPrivate: false }));
    expect(error.code).toBe("FEED_BLOCKED_ADDRESS");
    expect(error.permanent).toBe(true);
    expect(requestsSeen).toBe(0);
  });

  it("refuses localhost, which is only caught by the look-up at connect time", async () => {
    const error = await failure(fetchFeed({ url: `http://localhost:${port}/feed` }, { allowPrivate: false }));
    expect(error.code).toBe("FEED_BLOCKED_ADDRESS");
    expect(error.message).toContain("localhost");
    expect(requestsSeen).toBe(0);
  });

  it("refuses the IPv6 loopback literal [::1]", async () => {
    const error = await failure(fetchFeed({ url: `http://[::1]:${port}/feed` }, { allowPrivate: false }));
    expect(error.code).toBe("FEED_BLOCKED_ADDRESS");
  });

  it("refuses an IPv4-mapped IPv6 loopback literal", async () => {
    const error = await failure(fetchFeed({ url: `http://[::ffff:127.0.0.1]:${port}/feed` }, { allowPrivate: false }));
    expect(error.code).toBe("FEED_BLOCKED_ADDRESS");
  });

  it.each([
    ["hexadecimal", "0x7f000001"],
    ["decimal", "2130706433"],
    ["octal", "017700000001"],
    ["shorthand", "127.1"],
  ])("refuses loopback written in %s form (%s), which the URL parser reads as 127.0.0.1", async (_form, host) => {
    const url = `http://${host}:${port}/feed`;
    expect(new URL(url).hostname).toBe("127.0.0.1");
    // Left to itself, the same URL reaches the server: the guard, not a bad URL, stops it.
    await fetchFeed({ url });
    expect(requestsSeen).toBe(1);
    const error = await failure(fetchFeed({ url }, { allowPrivate: false }));
    expect(error.code).toBe("FEED_BLOCKED_ADDRESS");
    expect(requestsSeen).toBe(1);
  });

  it("refuses the cloud metadata address without connecting to it", async () => {
    const error = await failure(
      fetchFeed({ url: "http://169.254.169.254/latest/meta-data/" }, { allowPrivate: false, timeoutMs: 2_000 }),
    );
    expect(error.code).toBe("FEED_BLOCKED_ADDRESS");
  });

  it("refuses filesystem paths and file:// URLs", async () => {
    for (const url of ["/etc/passwd", "file:///etc/passwd"]) {
      const error = await failure(fetchFeed({ url }, { allowPrivate: false }));
      expect(error.code).toBe("FEED_BLOCKED_ADDRESS");
    }
  });
});

describe("assertPublicAddress", () => {
  it("refuses a host name that resolves to loopback", async () => {
    const error = await failure(assertPublicAddress("localhost"));
    expect(error.code).toBe("FEED_BLOCKED_ADDRESS");
  });

  it("refuses private and link-local literals, bracketed IPv6 included", async () => {
    for (const host of ["10.0.0.1", "169.254.169.254", "[::1]", "[fe80::1]", "[::ffff:192.168.0.1]"]) {
      const error = await failure(assertPublicAddress(host));
      expect(error.code).toBe("FEED_BLOCKED_ADDRESS");
    }
  });

  it("accepts public address literals", async () => {
    await expect(assertPublicAddress("8.8.8.8")).resolves.toBeUndefined();
    await expect(assertPublicAddress("[2606:4700:4700::1111]")).resolves.toBeUndefined();
  });

  it("fails a host that does not resolve with FEED_DNS", async () => {
    const error = await failure(assertPublicAddress("feed.babelwire.invalid"));
    expect(error.code).toBe("FEED_DNS");
  });
});

describe("publicOnlyLookup", () => {
  function lookUp(host: string, all: boolean): Promise<{ error: unknown; address: unknown; family: unknown }> {
    return new Promise((resolve) => {
      publicOnlyLookup(host, { all }, (error, address, family) => resolve({ error, address, family }));
    });
  }

  it("hands the socket the checked address, in the shape the caller asked for", async () => {
    expect(await lookUp("8.8.8.8", false)).toEqual({ error: null, address: "8.8.8.8", family: 4 });
    expect(await lookUp("8.8.8.8", true)).toEqual({
      error: null,
      address: [{ address: "8.8.8.8", family: 4 }],
      family: undefined,
    });
  });

  it("answers a non-public resolution with the FEED_BLOCKED_ADDRESS error instead of an address", async () => {
    for (const all of [false, true]) {
      const { error } = await lookUp("localhost", all);
      expect(error).toBeInstanceOf(FeedError);
      expect(error).toMatchObject({ code: "FEED_BLOCKED_ADDRESS" });
    }
  });
});
