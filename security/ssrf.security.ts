import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { assertPublicAddress, extractArticle, FeedError, fetchFeed, isPublicAddress } from "@babelwire/ingest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let inside: Server;
let insideBase: string;

beforeAll(async () => {
  // A service on the loopback interface: what an attacker's link would try to reach.
  inside = createServer((request, response) => {
    if (request.url?.startsWith("/to?")) {
      response.writeHead(302, { location: new URLSearchParams(request.url.slice(4)).get("url") ?? "/" }).end();
      return;
    }
    if (request.url === "/redirect-inside") {
      response.writeHead(302, { location: `${insideBase}/secret` }).end();
      return;
    }
    response
      .writeHead(200, { "content-type": "text/html" })
      .end("<html><body><article><p>internal secret</p></article></body></html>");
  });
  await new Promise<void>((done) => inside.listen(0, "127.0.0.1", done));
  insideBase = `http://127.0.0.1:${(inside.address() as AddressInfo).port}`;
});

afterAll(() => {
  inside?.close();
});

async function codeOf(work: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await work();
    return undefined;
  } catch (error) {
    return error instanceof FeedError ? error.code : String(error);
  }
}

describe("links from feeds never reach private addresses", () => {
  it("knows loopback, private, link-local, metadata and mapped addresses for what they are", () => {
    for (const address of [
      "127.0.0.1",
      "10.1.2.3",
      "172.16.0.1",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "::1",
      "fe80::1",
      "fc00::1",
      "::ffff:127.0.0.1",
      "::ffff:a9fe:a9fe",
    ]) {
      expect(isPublicAddress(address), address).toBe(false);
    }
    for (const address of ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"]) {
      expect(isPublicAddress(address), address).toBe(true);
    }
  });

  it("refuses names that resolve to private addresses, checked after DNS", async () => {
    await expect(assertPublicAddress("localhost")).rejects.toMatchObject({ code: "FEED_BLOCKED_ADDRESS" });
    await expect(assertPublicAddress("127.0.0.1")).rejects.toMatchObject({ code: "FEED_BLOCKED_ADDRESS" });
    await expect(assertPublicAddress("[::1]")).rejects.toMatchObject({ code: "FEED_BLOCKED_ADDRESS" });
  });

  it("does not fetch an article page on a private address, directly or in decimal disguise", async () => {
    const port = new URL(insideBase).port;
    for (const url of [`${insideBase}/secret`, `http://2130706433:${port}/secret`, `http://0x7f.1:${port}/secret`]) {
      expect(await codeOf(() => extractArticle(url)), url).toBe("FEED_BLOCKED_ADDRESS");
    }
  });

  it("refuses a redirect into the private network on every hop", async () => {
    // The first hop is allowed (an operator's own feed host), the redirect target is checked again.
    const code = await codeOf(() => fetchFeed({ url: `${insideBase}/redirect-inside` }, { allowPrivate: false }));
    expect(code).toBe("FEED_BLOCKED_ADDRESS");
  });

  it("trusts the source's exact origin only: not its host on another port, not where it redirects", async () => {
    const other = createServer((_request, response) => response.writeHead(200).end("<p>fake AWS secret</p>"));
    await new Promise<void>((done) => other.listen(0, "127.0.0.1", done));
    const otherBase = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
    try {
      const trustedOrigin = new URL(insideBase).origin;
      const redirected = `${insideBase}/to?url=${encodeURIComponent(`${otherBase}/secret`)}`;
      expect(await codeOf(() => extractArticle(redirected, { trustedOrigin }))).toBe("FEED_BLOCKED_ADDRESS");
      expect(await codeOf(() => extractArticle(`${otherBase}/secret`, { trustedOrigin }))).toBe("FEED_BLOCKED_ADDRESS");
      // The origin itself is trusted: its page is read.
      expect((await extractArticle(`${insideBase}/secret`, { trustedOrigin })).contentText).toContain(
        "internal secret",
      );
    } finally {
      other.close();
    }
  });
});
