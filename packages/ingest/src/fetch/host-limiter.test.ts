import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fetchFeed } from "./fetch-feed.ts";
import { createHostLimiter } from "./host-limiter.ts";

const FEED = '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>';

let server: Server;
let port: number;
let inFlight = 0;
let mostInFlight = 0;

beforeAll(async () => {
  // Each answer takes 60 ms, long enough for every concurrent request of a test to overlap.
  server = createServer((_request, response) => {
    inFlight++;
    mostInFlight = Math.max(mostInFlight, inFlight);
    setTimeout(() => {
      inFlight--;
      response.writeHead(200, { "content-type": "application/rss+xml" }).end(FEED);
    }, 60);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

beforeEach(() => {
  mostInFlight = 0;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => {};
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

describe("createHostLimiter", () => {
  it("starts waiting tasks in the order they asked, once a running one finishes", async () => {
    const limiter = createHostLimiter(1);
    const started: string[] = [];
    const first = deferred();
    const running = limiter.run("a.example", async () => {
      started.push("first");
      await first.promise;
    });
    const waiting = ["second", "third", "fourth"].map((name) =>
      limiter.run("a.example", async () => {
        started.push(name);
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(started).toEqual(["first"]);
    first.resolve();
    await Promise.all([running, ...waiting]);
    expect(started).toEqual(["first", "second", "third", "fourth"]);
  });

  it("does not make one host wait for another, and treats host names case-insensitively", async () => {
    const limiter = createHostLimiter(1);
    const hold = deferred();
    const busy = limiter.run("A.example", () => hold.promise);
    let otherRan = false;
    await limiter.run("b.example", async () => {
      otherRan = true;
    });
    expect(otherRan).toBe(true);
    let sameRan = false;
    const same = limiter.run("a.EXAMPLE", async () => {
      sameRan = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(sameRan).toBe(false);
    hold.resolve();
    await Promise.all([busy, same]);
    expect(sameRan).toBe(true);
  });

  it("frees the slot when a task throws", async () => {
    const limiter = createHostLimiter(1);
    await expect(limiter.run("a.example", () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(limiter.run("a.example", async () => "next")).resolves.toBe("next");
  });

  it("drops a waiter whose signal aborts, rejecting with the signal's reason, and serves the rest", async () => {
    const limiter = createHostLimiter(1);
    const hold = deferred();
    const busy = limiter.run("a.example", () => hold.promise);
    const controller = new AbortController();
    let abandonedRan = false;
    const abandoned = limiter.run(
      "a.example",
      async () => {
        abandonedRan = true;
      },
      controller.signal,
    );
    const later = limiter.run("a.example", async () => "later");
    controller.abort(new Error("shutting down"));
    await expect(abandoned).rejects.toThrow("shutting down");
    hold.resolve();
    await expect(later).resolves.toBe("later");
    await busy;
    expect(abandonedRan).toBe(false);
  });

  it("rejects a limit that is not a positive integer", () => {
    expect(() => createHostLimiter(0)).toThrow(RangeError);
    expect(() => createHostLimiter(1.5)).toThrow(RangeError);
  });
});

describe("fetchFeed with a host limiter", () => {
  const urls = (host: string, count: number): string[] =>
    Array.from({ length: count }, (_, index) => `http://${host}:${port}/feed-${index}`);

  it("has at most two requests in flight to one host by default", async () => {
    const limiter = createHostLimiter();
    const fetched = await Promise.all(urls("127.0.0.1", 6).map((url) => fetchFeed({ url }, { hostLimiter: limiter })));
    expect(fetched).toHaveLength(6);
    expect(mostInFlight).toBe(2);
  });

  it("sends every request at once without a limiter, which is what the limiter prevents", async () => {
    await Promise.all(urls("127.0.0.1", 6).map((url) => fetchFeed({ url })));
    expect(mostInFlight).toBe(6);
  });

  it("counts each host name apart", async () => {
    const limiter = createHostLimiter(2);
    const all = [...urls("127.0.0.1", 3), ...urls("localhost", 3)];
    await Promise.all(all.map((url) => fetchFeed({ url }, { hostLimiter: limiter })));
    expect(mostInFlight).toBe(4);
  });

  it("does not count time spent waiting for a slot against the request's timeout", async () => {
    // 25 answers of 60 ms one after another take 1.5 s: were the wait counted, the last ones would
    // pass their 1 s timeout. A second per request leaves room for a loaded machine.
    const limiter = createHostLimiter(1);
    const fetched = await Promise.all(
      urls("127.0.0.1", 25).map((url) => fetchFeed({ url }, { hostLimiter: limiter, timeoutMs: 1000 })),
    );
    expect(fetched.every((feed) => !feed.notModified)).toBe(true);
    expect(mostInFlight).toBe(1);
  });
});
