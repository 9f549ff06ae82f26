import type { ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalServer, serve, serveNewsFeed } from "./support/feed-server.ts";
import { addNewsSource } from "./support/pipeline.ts";
import { openScenario, type Scenario } from "./support/scenario.ts";
import { until } from "./support/until.ts";

const HUNDRED_MB = 100 * 1024 * 1024;
const RSS = { "content-type": "application/rss+xml; charset=utf-8" };

/** What each hostile server saw: requests still open, and bytes the 100 MB one managed to send. */
const seen = { hanging: 0, hangClosed: 0, dripping: 0, dripClosed: 0, bigSent: 0, redirects: 0 };

/** A response that never comes. */
function hang(response: ServerResponse) {
  seen.hanging++;
  response.on("close", () => seen.hangClosed++);
}

/** A feed one byte a second, forever. */
function drip(response: ServerResponse) {
  seen.dripping++;
  response.writeHead(200, RSS).write("<");
  const timer = setInterval(() => response.write(" "), 1000);
  response.on("close", () => {
    clearInterval(timer);
    seen.dripClosed++;
  });
}

/** 100 MB of a feed, streamed (no Content-Length) as fast as the reader takes it. */
function hundredMegabytes(response: ServerResponse) {
  response.writeHead(200, RSS).write('<?xml version="1.0"?><rss version="2.0"><channel><title>');
  const chunk = Buffer.alloc(64 * 1024, "a");
  let sent = 0;
  let closed = false;
  response.on("close", () => {
    closed = true;
  });
  const pump = () => {
    while (!closed && sent < HUNDRED_MB) {
      sent += chunk.length;
      seen.bigSent += chunk.length;
      if (!response.write(chunk)) return void response.once("drain", pump);
    }
    if (!closed) response.end("</title></channel></rss>");
  };
  pump();
}

let scenario: Scenario;
let healthy: LocalServer & { feedUrl: string; requests(): number };
const hostile: LocalServer[] = [];

beforeAll(async () => {
  healthy = await serveNewsFeed(3, "127.0.0.2");
  // Each hostile server is its own host (127.0.0.x): the poller caps requests per host, and one
  // agency's broken server must not be what stalls another's feed.
  hostile.push(
    await serve((_request, response) => hang(response), "127.0.0.3"),
    await serve((_request, response) => drip(response), "127.0.0.4"),
    await serve((request, response) => {
      if (request.url === "/declared") response.writeHead(200, { ...RSS, "content-length": HUNDRED_MB }).end();
      else hundredMegabytes(response);
    }, "127.0.0.5"),
    await serve((request, response) => {
      seen.redirects++;
      response.writeHead(302, { location: request.url === "/a" ? "/b" : "/a" }).end();
    }, "127.0.0.6"),
  );
  scenario = await openScenario();
});

afterAll(async () => {
  await scenario?.cleanup();
  for (const server of hostile) await server.close();
  await healthy?.close();
});

interface SourceHealth {
  health: { lastFetchAt: string | null; lastStatus: number | null; errorCode: string | null };
}

describe("feed servers that hang, drip, flood or loop", () => {
  it("leave the poll worker responsive and each record its own error code", async () => {
    const { babelwire } = scenario;
    const context = () => babelwire.logTail();
    const health = async (id: string) =>
      ((await (await babelwire.api(`/v1/sources/${id}`)).json()) as SourceHealth).health;
    await babelwire.start();
    const healthyId = await addNewsSource(babelwire, healthy.feedUrl);
    const [hangId, dripId, streamId, declaredId, loopId] = await Promise.all(
      [
        `${hostile[0]?.url}/feed.xml`,
        `${hostile[1]?.url}/feed.xml`,
        `${hostile[2]?.url}/stream`,
        `${hostile[2]?.url}/declared`,
        `${hostile[3]?.url}/a`,
      ].map((url) => addNewsSource(babelwire, url, { check: false })),
    );

    await until(
      "the hanging and dripping feeds to hold a poll each",
      () => (seen.hanging > seen.hangClosed && seen.dripping > seen.dripClosed ? true : undefined),
      { last: context },
    );
    // With two polls stuck on them, the healthy source is polled on demand, and the API answers.
    for (let round = 0; round < 2; round++) {
      const before = healthy.requests();
      const firstFetch = (await health(healthyId)).lastFetchAt;
      expect((await babelwire.api(`/v1/sources/${healthyId}/poll`, { method: "POST" })).status).toBe(202);
      await until(
        "the healthy source to be polled again",
        async () => {
          const now = await health(healthyId);
          return healthy.requests() > before && now.lastFetchAt !== firstFetch && now.lastStatus === 200
            ? true
            : undefined;
        },
        { timeoutMs: 10_000, last: context },
      );
      const started = Date.now();
      expect((await fetch(`${babelwire.url}/healthz`, { signal: AbortSignal.timeout(2000) })).status).toBe(200);
      expect(Date.now() - started).toBeLessThan(1000);
    }
    expect(seen.hanging > seen.hangClosed && seen.dripping > seen.dripClosed).toBe(true);

    const expected: Record<string, string> = {
      [hangId as string]: "FEED_TIMEOUT",
      [dripId as string]: "FEED_TIMEOUT",
      [streamId as string]: "FEED_TOO_LARGE",
      [declaredId as string]: "FEED_TOO_LARGE",
      [loopId as string]: "FEED_TOO_MANY_REDIRECTS",
    };
    const codes = await until(
      "every hostile source to record its error",
      async () => {
        const found = Object.fromEntries(
          await Promise.all(Object.keys(expected).map(async (id) => [id, (await health(id)).errorCode])),
        );
        return Object.keys(expected).every((id) => found[id] !== null) ? found : undefined;
      },
      { timeoutMs: 60_000, last: context },
    );
    expect(codes).toEqual(expected);
    expect((await health(healthyId)).errorCode).toBeNull();
    // The poller hung up on each: no socket left open, and the flood stopped far short of 100 MB.
    await until("the hanging and dripping connections to be closed", () =>
      seen.hangClosed === seen.hanging && seen.dripClosed === seen.dripping ? true : undefined,
    );
    expect(seen.bigSent).toBeLessThan(HUNDRED_MB / 2);
    expect(seen.redirects).toBeGreaterThanOrEqual(6);
  });
});
