import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createSource, createToken, getSourcePush } from "@babelwire/db";
import { type PollDeps, pollSource } from "@babelwire/ingestor";
import type { JobPayload } from "@babelwire/queue";
import type { Runtime } from "@babelwire/runtime";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ApiApp } from "../../app.ts";
import { openTestApp, type TestApp } from "../../testing/test-app.ts";

/**
 * Babelwire as a WebSub subscriber of its sources, against a hub and an agency feed on
 * loopback: the real poll, the real callback routes. Each test names the websub.rocks
 * subscriber case it covers.
 */

interface Subscription {
  topic: string;
  callback: string;
  secret: string;
  lease: string;
}

let testApp: TestApp;
let runtime: Runtime;
let app: ApiApp;
let apiUrl: string;
let deps: PollDeps;
let adminToken: string;

/** The agency's feed server: its Link header and body links are set per test. */
let feedServer: Server;
let feedBase: string;
let feedHeader: string | null = null;
let feedLinks = "";
let feedItems: string[] = [];

/** A hub test double speaking WebSub: takes subscriptions, verifies them with the callback, pushes. */
let hubServer: Server;
let hubBase: string;
let hubAnswer = 202;
const subscriptions: Subscription[] = [];
const verifications: Array<{ status: number; body: string; challenge: string }> = [];

function rss(): string {
  const items = feedItems
    .map(
      (guid) =>
        `<item><guid>${guid}</guid><title>Story ${guid}</title><link>https://agency.test/${guid}</link><description>Body of ${guid}.</description><pubDate>Mon, 30 Nov 2026 10:00:00 GMT</pubDate></item>`,
    )
    .join("");
  return `<?xml version="1.0"?><rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>Agency</title><link>https://agency.test/</link><language>en</language>${feedLinks}${items}</channel></rss>`;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function readBody(request: import("node:http").IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

beforeAll(async () => {
  testApp = await openTestApp("websub-subscriber-test");
  ({ runtime, app } = testApp);
  apiUrl = await app.listen({ port: 0, host: "127.0.0.1" });
  deps = { ...runtime, config: { PUBLIC_BASE_URL: apiUrl } };
  adminToken = (await createToken(runtime.db, { role: "admin" })).token;
  feedServer = createServer((request, response) => {
    const headers: Record<string, string> = { "content-type": "application/rss+xml" };
    if (feedHeader) headers.link = feedHeader;
    if (request.url?.startsWith("/moved")) return response.writeHead(302, { location: "/feed" }).end();
    response.writeHead(200, headers).end(rss());
  });
  feedBase = await listen(feedServer);
  hubServer = createServer(async (request, response) => {
    const body = new URLSearchParams(await readBody(request));
    // websub.rocks subscriber 105 and 106: a hub that moved, temporarily or for good.
    if (request.url === "/old-hub") return response.writeHead(307, { location: "/hub" }).end();
    if (request.url === "/moved-hub") return response.writeHead(308, { location: "/hub" }).end();
    // A hub bouncing the request to another host of our network: not to be followed.
    if (request.url === "/to-private") {
      return response
        .writeHead(307, { location: `http://localhost:${(hubServer.address() as AddressInfo).port}/hub` })
        .end();
    }
    response.writeHead(hubAnswer).end();
    if (hubAnswer >= 300) return;
    const subscription = {
      topic: body.get("hub.topic") ?? "",
      callback: body.get("hub.callback") ?? "",
      secret: body.get("hub.secret") ?? "",
      lease: body.get("hub.lease_seconds") ?? "",
    };
    subscriptions.push(subscription);
    const challenge = `challenge-${subscriptions.length}`;
    const url = new URL(subscription.callback);
    url.search = new URLSearchParams({
      "hub.mode": "subscribe",
      "hub.topic": subscription.topic,
      "hub.challenge": challenge,
      "hub.lease_seconds": "3600",
    }).toString();
    const answer = await fetch(url);
    verifications.push({ status: answer.status, body: await answer.text(), challenge });
  });
  hubBase = await listen(hubServer);
});

afterAll(async () => {
  for (const server of [feedServer, hubServer]) {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  }
  await testApp?.close();
});

beforeEach(() => {
  feedHeader = null;
  feedLinks = "";
  feedItems = [];
  hubAnswer = 202;
});

let sources = 0;
async function newSource(path = "/feed"): Promise<string> {
  // A query of its own per source: the URL is unique, the server answers the same feed.
  return (await createSource(runtime.db, { url: `${feedBase}${path}?s=${++sources}`, targets: ["es"] })).id;
}

async function until<T>(probe: () => T | undefined | Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Polls the source and waits for the hub's verification of the subscription it asks for. */
async function pollAndSubscribe(sourceId: string): Promise<Subscription> {
  const before = verifications.length;
  await pollSource(deps, { sourceId, force: true });
  await until(() => (verifications.length > before ? true : undefined), "the hub's verification");
  return subscriptions.at(-1) as Subscription;
}

function sign(method: string, secret: string, body: string): string {
  return `${method}=${createHmac(method, secret).update(body).digest("hex")}`;
}

function push(subscription: Subscription, body: string, signature: string | null) {
  return fetch(subscription.callback, {
    method: "POST",
    headers: { "content-type": "application/rss+xml", ...(signature && { "x-hub-signature": signature }) },
    body,
  });
}

async function articleCount(sourceId: string): Promise<number> {
  const rows = await runtime.db.selectFrom("articles").select("id").where("source_id", "=", sourceId).execute();
  return rows.length;
}

/** The poll jobs a push queued for this source, taken from the queue as the ingestor would. */
async function queuedPolls(sourceId: string): Promise<Array<JobPayload<"poll">>> {
  const poll = runtime.queues.dashboardQueues().find((queue) => queue.name === "poll");
  const jobs = (await poll?.getWaiting(0, 200)) ?? [];
  return jobs.map((job) => job.data as JobPayload<"poll">).filter((data) => data.sourceId === sourceId);
}

function websubMetric(text: string, outcome: string): number {
  const line = text
    .split("\n")
    .find((candidate) => candidate.startsWith(`babelwire_websub_events_total{role="subscriber",outcome="${outcome}"}`));
  return line ? Number(line.split(" ")[1]) : 0;
}

describe("hub discovery and subscription", () => {
  it("finds the hub in the Link header and subscribes with its rel=self, an unguessable callback and a secret (websub.rocks subscriber 100)", async () => {
    feedHeader = `<${hubBase}/hub>; rel="hub", <https://agency.test/feed.xml>; rel="self"`;
    const sourceId = await newSource();
    const subscription = await pollAndSubscribe(sourceId);
    expect(subscription.topic).toBe("https://agency.test/feed.xml");
    expect(subscription.callback).toMatch(new RegExp(`^${apiUrl}/websub/callback/[A-Za-z0-9_-]{32}$`));
    expect(subscription.secret.length).toBeGreaterThanOrEqual(32);
    expect(subscription.lease).toBe("864000");
    // The verification GET was answered with the challenge, and the lease the hub granted is kept.
    expect(verifications.at(-1)).toMatchObject({ status: 200, body: verifications.at(-1)?.challenge });
    const push = await getSourcePush(runtime.db, sourceId);
    expect(push).toMatchObject({ state: "active", hub: `${hubBase}/hub`, error: null });
    expect((push?.lease_expires_at?.getTime() ?? 0) - (push?.verified_at?.getTime() ?? 0)).toBe(3_600_000);
    // The source's health shows it, and polling slows to the safety net.
    await pollSource(deps, { sourceId, force: true });
    const view = await app.inject({
      url: `/v1/sources/${sourceId}`,
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(view.json().health.push).toMatchObject({
      hub: `${hubBase}/hub`,
      state: "active",
      lastPushAt: null,
      error: null,
    });
    const source = await runtime.db
      .selectFrom("sources")
      .select("next_poll_at")
      .where("id", "=", sourceId)
      .executeTakeFirstOrThrow();
    expect((source.next_poll_at?.getTime() ?? 0) - Date.now()).toBeGreaterThan(25 * 60_000);
  });

  it("finds the hub and self in an RSS feed's atom:link elements when no header names them (websub.rocks subscriber 103)", async () => {
    feedLinks = `<atom:link rel="hub" href="${hubBase}/hub"/><atom:link rel="self" href="https://agency.test/rss"/>`;
    const subscription = await pollAndSubscribe(await newSource());
    expect(subscription.topic).toBe("https://agency.test/rss");
  });

  it("prefers the Link header over the feed's own links (websub.rocks subscriber 104)", async () => {
    feedHeader = `<${hubBase}/hub>; rel="hub", <https://agency.test/from-header>; rel="self"`;
    feedLinks = `<atom:link rel="hub" href="http://127.0.0.1:9/other-hub"/><atom:link rel="self" href="https://agency.test/from-body"/>`;
    const subscription = await pollAndSubscribe(await newSource());
    expect(subscription.topic).toBe("https://agency.test/from-header");
  });

  it("follows a hub's temporary and permanent redirects (websub.rocks subscriber 105, 106)", async () => {
    for (const path of ["/old-hub", "/moved-hub"]) {
      feedHeader = `<${hubBase}${path}>; rel="hub", <https://agency.test${path}>; rel="self"`;
      const subscription = await pollAndSubscribe(await newSource());
      expect(subscription.topic).toBe(`https://agency.test${path}`);
    }
  });

  it("does not follow a hub's redirect to a private host other than the source's own (SSRF)", async () => {
    feedHeader = `<${hubBase}/to-private>; rel="hub", <https://agency.test/bounce>; rel="self"`;
    const sourceId = await newSource();
    const count = subscriptions.length;
    expect(await pollSource(deps, { sourceId, force: true })).toMatchObject({ outcome: "fetched" });
    expect(subscriptions.length).toBe(count);
    expect((await getSourcePush(runtime.db, sourceId))?.error).toMatch(/^FEED_BLOCKED_ADDRESS: .*localhost/);
  });

  it("subscribes to a feed reached through a redirect with the topic it names (websub.rocks subscriber 107)", async () => {
    feedLinks = `<atom:link rel="hub" href="${hubBase}/hub"/><atom:link rel="self" href="https://agency.test/canonical"/>`;
    const subscription = await pollAndSubscribe(await newSource("/moved"));
    expect(subscription.topic).toBe("https://agency.test/canonical");
  });

  it("records a hub that refuses the topic in the source's health and keeps polling", async () => {
    hubAnswer = 400;
    feedHeader = `<${hubBase}/hub>; rel="hub", <https://agency.test/refused>; rel="self"`;
    feedItems = ["refused-1"];
    const sourceId = await newSource();
    expect(await pollSource(deps, { sourceId, force: true })).toMatchObject({ outcome: "fetched", new: 1 });
    expect(await getSourcePush(runtime.db, sourceId)).toMatchObject({
      state: "requested",
      error: "WEBSUB_HUB_HTTP_400: The hub answered 400 to the subscription request.",
    });
  });

  it("falls back to polling when the hub is gone: the error is shown, items still arrive by poll", async () => {
    const gone = createServer();
    const goneUrl = await listen(gone);
    await new Promise((resolve) => gone.close(resolve));
    feedHeader = `<${goneUrl}/hub>; rel="hub", <https://agency.test/gone>; rel="self"`;
    feedItems = ["gone-1", "gone-2"];
    const sourceId = await newSource();
    expect(await pollSource(deps, { sourceId, force: true })).toMatchObject({ outcome: "fetched", new: 2 });
    const push = await getSourcePush(runtime.db, sourceId);
    expect(push?.state).toBe("requested");
    expect(push?.error).toMatch(/^[A-Z_]+: /);
    expect(await articleCount(sourceId)).toBe(2);
  });

  it("renews the subscription once half its lease has run", async () => {
    feedHeader = `<${hubBase}/hub>; rel="hub", <https://agency.test/renew>; rel="self"`;
    const sourceId = await newSource();
    const first = await pollAndSubscribe(sourceId);
    const count = subscriptions.length;
    await pollSource(deps, { sourceId, force: true });
    expect(subscriptions.length).toBe(count);
    // 40 of 60 minutes of the lease gone.
    await runtime.db
      .updateTable("source_push")
      .set({ verified_at: new Date(Date.now() - 40 * 60_000), lease_expires_at: new Date(Date.now() + 20 * 60_000) })
      .where("source_id", "=", sourceId)
      .execute();
    const renewal = await pollAndSubscribe(sourceId);
    expect(renewal.callback).toBe(first.callback);
    expect(renewal.secret).toBe(first.secret);
    expect(subscriptions.length).toBe(count + 1);
  });
});

describe("verification requests", () => {
  it("answers 404 to a verification for another topic, and to an unknown callback (websub.rocks subscriber 200)", async () => {
    feedHeader = `<${hubBase}/hub>; rel="hub", <https://agency.test/verify>; rel="self"`;
    const subscription = await pollAndSubscribe(await newSource());
    const url = new URL(subscription.callback);
    url.search = new URLSearchParams({
      "hub.mode": "subscribe",
      "hub.topic": "https://agency.test/someone-else",
      "hub.challenge": "x",
    }).toString();
    expect((await fetch(url)).status).toBe(404);
    const unknown = `${apiUrl}/websub/callback/not-a-subscription?hub.mode=subscribe&hub.topic=x&hub.challenge=y`;
    expect((await fetch(unknown)).status).toBe(404);
  });
});

describe("content distribution", () => {
  it("drops a push with a wrong or missing signature after answering 2xx, and counts it (websub.rocks subscriber 201, 202)", async () => {
    feedHeader = `<${hubBase}/hub>; rel="hub", <https://agency.test/forged>; rel="self"`;
    const sourceId = await newSource();
    const subscription = await pollAndSubscribe(sourceId);
    feedItems = ["forged-1"];
    const body = rss();
    const before = websubMetric(await runtime.metrics.render(), "bad_signature");
    expect((await push(subscription, body, sign("sha256", "not the secret", body))).status).toBe(202);
    expect((await push(subscription, body, null)).status).toBe(202);
    expect((await push(subscription, body, "md5=00")).status).toBe(202);
    expect(websubMetric(await runtime.metrics.render(), "bad_signature")).toBe(before + 3);
    expect(await queuedPolls(sourceId)).toEqual([]);
    expect(await getSourcePush(runtime.db, sourceId)).toMatchObject({ dropped: 3, pushes: 0, last_push_at: null });
  });

  it("ingests a pushed feed signed with sha1, sha256 or sha512 through the same path as a poll (websub.rocks subscriber 300)", async () => {
    feedHeader = `<${hubBase}/hub>; rel="hub", <https://agency.test/signed>; rel="self"`;
    const sourceId = await newSource();
    const subscription = await pollAndSubscribe(sourceId);
    for (const method of ["sha1", "sha256", "sha512"]) {
      feedItems = [`pushed-${method}`];
      const body = rss();
      expect((await push(subscription, body, sign(method, subscription.secret, body))).status).toBe(202);
    }
    const jobs = await queuedPolls(sourceId);
    expect(jobs).toHaveLength(3);
    for (const job of jobs) {
      expect(job.pushId).toBeDefined();
      expect(await pollSource(deps, job)).toMatchObject({ outcome: "fetched", new: 1 });
      // A push is ingested once: the same job again finds nothing.
      expect(await pollSource(deps, job)).toMatchObject({ outcome: "skipped" });
    }
    const titles = await runtime.db.selectFrom("articles").select("title").where("source_id", "=", sourceId).execute();
    expect(titles.map((row) => row.title).sort()).toEqual([
      "Story pushed-sha1",
      "Story pushed-sha256",
      "Story pushed-sha512",
    ]);
    const view = await app.inject({
      url: `/v1/sources/${sourceId}`,
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(view.json().health.push).toMatchObject({ pushes: 3, dropped: 0 });
    expect(view.json().health.push.lastPushAt).not.toBeNull();
  });

  it("answers a ping without a body with an immediate poll of the feed", async () => {
    feedHeader = `<${hubBase}/hub>; rel="hub", <https://agency.test/ping>; rel="self"`;
    const sourceId = await newSource();
    const subscription = await pollAndSubscribe(sourceId);
    expect((await push(subscription, "", sign("sha256", subscription.secret, ""))).status).toBe(202);
    expect(await queuedPolls(sourceId)).toEqual([{ sourceId, force: true }]);
  });

  it("answers 410 to a push for a subscription it does not know, so the hub drops it", async () => {
    const response = await fetch(`${apiUrl}/websub/callback/unknown-callback-id`, { method: "POST", body: "x" });
    expect(response.status).toBe(410);
  });
});
