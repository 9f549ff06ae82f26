import { type ChildProcess, spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { clearQueuePrefix, testConfig } from "@babelwire/runtime/testing";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The whole push path through real processes: an agency's WebSub hub pushes a new item to
 * `babelwire start` (a process of its own: API, ingestor, Apertium translator, publisher), which
 * translates it and pushes the Spanish feed to a partner's WebSub subscriber, with no poll of
 * the agency's feed in between. Everything on loopback.
 */

const ROOT = resolve(import.meta.dirname, "../../../..");
const MAIN = join(ROOT, "services/cli/src/main.ts");

let system: ChildProcess | undefined;
let base = "";
let admin = "";
const config = testConfig();

/** The agency: its feed (with the hub in a Link header) and a WebSub hub that pushes it. */
let agencyFeed: Server;
let agencyHub: Server;
let feedUrl = "";
let hubUrl = "";
let feedItems: Array<{ guid: string; title: string; body: string }> = [];
const feedRequests: number[] = [];
const agencySubscriptions: Array<{ topic: string; callback: string; secret: string }> = [];

/** The partner: a WebSub subscriber of Babelwire's Spanish feed. */
let partnerServer: Server;
let partnerUrl = "";
const partnerPushes: Array<{ headers: IncomingHttpHeaders; body: string; at: number }> = [];
let partnerVerified = false;

function agencyRss(): string {
  const items = feedItems
    .map(
      (item) =>
        `<item><guid>${item.guid}</guid><title>${item.title}</title><link>https://agency.test/${item.guid}</link><description><![CDATA[<p>${item.body}</p>]]></description><pubDate>Thu, 03 Dec 2026 10:00:00 GMT</pubDate></item>`,
    )
    .join("");
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Agency</title><link>https://agency.test/</link><language>en</language>${items}</channel></rss>`;
}

async function body(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

async function listen(server: Server, port = 0): Promise<string> {
  await new Promise<void>((done) => server.listen(port, "127.0.0.1", done));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A port the OS has just handed out: `start` must know its own URL (PUBLIC_BASE_URL) before it listens. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await listen(probe);
  const port = (probe.address() as AddressInfo).port;
  await new Promise((done) => probe.close(done));
  return port;
}

async function until<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, ms = 90_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

/** The fields this test reads of the API's answers. */
interface Answer {
  id: string;
  token: string;
  health: { push: { state: string } | null };
}

async function api(path: string, init: RequestInit = {}): Promise<{ json(): Promise<Answer> }> {
  const response = await fetch(`${base}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${admin}`, "content-type": "application/json", ...init.headers },
  });
  return { json: async () => (await response.json()) as Answer };
}

beforeAll(async () => {
  agencyFeed = createServer((_request, response) => {
    feedRequests.push(Date.now());
    response
      .writeHead(200, {
        "content-type": "application/rss+xml",
        link: `<${hubUrl}>; rel="hub", <${feedUrl}>; rel="self"`,
      })
      .end(agencyRss());
  });
  feedUrl = `${await listen(agencyFeed)}/feed.xml`;
  agencyHub = createServer(async (request, response) => {
    const form = new URLSearchParams(await body(request));
    response.writeHead(202).end();
    const subscription = {
      topic: form.get("hub.topic") ?? "",
      callback: form.get("hub.callback") ?? "",
      secret: form.get("hub.secret") ?? "",
    };
    const check = new URL(subscription.callback);
    check.search = new URLSearchParams({
      "hub.mode": "subscribe",
      "hub.topic": subscription.topic,
      "hub.challenge": "agency-challenge",
      "hub.lease_seconds": "86400",
    }).toString();
    const answer = await fetch(check);
    if (answer.ok && (await answer.text()) === "agency-challenge") agencySubscriptions.push(subscription);
  });
  hubUrl = `${await listen(agencyHub)}/hub`;
  partnerServer = createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", "http://partner");
    if (request.method === "GET") {
      partnerVerified = url.searchParams.get("hub.mode") === "subscribe";
      return response.writeHead(200).end(url.searchParams.get("hub.challenge") ?? "");
    }
    partnerPushes.push({ headers: request.headers, body: await body(request), at: Date.now() });
    response.writeHead(204).end();
  });
  partnerUrl = `${await listen(partnerServer)}/websub`;

  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: config.DATA_DIR,
    QUEUE_PREFIX: config.QUEUE_PREFIX,
    PORT: String(port),
    PUBLIC_BASE_URL: base,
    LOG_LEVEL: "warn",
    LOG_FORMAT: "json",
    TARGET_LANGUAGES: "es",
  };
  delete env.DATABASE_URL;
  delete env.ADMIN_TOKEN;
  system = spawn(process.execPath, ["--import", "tsx", MAIN, "start"], { cwd: ROOT, env, stdio: "pipe" });
  let output = "";
  admin = await new Promise<string>((done, fail) => {
    // The banner is on stderr; with no terminal the one-time admin token goes to a file it names.
    const read = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      if (output.includes("running at") && output.includes("Admin token")) {
        done(readFileSync(join(config.DATA_DIR, "admin-token"), "utf8").trim());
      }
    };
    system?.stdout?.on("data", read);
    system?.stderr?.on("data", read);
    system?.once("exit", (code) => fail(new Error(`start exited with ${code}: ${output.slice(-2000)}`)));
  });
}, 120_000);

afterAll(async () => {
  if (system && system.exitCode === null) {
    const exited = new Promise((done) => system?.once("exit", done));
    system.kill("SIGTERM");
    await exited;
  }
  for (const server of [agencyFeed, agencyHub, partnerServer]) {
    server?.closeAllConnections();
    await new Promise((done) => server?.close(done));
  }
  const redis = new Redis(config.REDIS_URL);
  await clearQueuePrefix(redis, config.QUEUE_PREFIX);
  await redis.quit();
});

describe("agency hub → translation → partner subscriber", () => {
  it("pushes a new agency item to a partner's WebSub callback in Spanish, without a poll of the agency's feed", async () => {
    // The partner, its token, and its subscription to the Spanish RSS feed at Babelwire's hub.
    const partner = await (
      await api("/v1/partners", {
        method: "POST",
        body: JSON.stringify({ name: "Diario", languages: ["es"], allowPrivateWebhook: true }),
      })
    ).json();
    const token = (
      await (
        await api("/v1/tokens", { method: "POST", body: JSON.stringify({ role: "partner", partnerId: partner.id }) })
      ).json()
    ).token as string;
    const feed = await fetch(`${base}/v1/feeds/es.rss?token=${token}`);
    const links = feed.headers.get("link") ?? "";
    expect(links).toContain(`<${base}/websub/hub>; rel="hub"`);
    const topic = /<([^>]+)>; rel="self"/.exec(links)?.[1] ?? "";
    const subscribed = await fetch(`${base}/websub/hub`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        "hub.mode": "subscribe",
        "hub.topic": topic,
        "hub.callback": partnerUrl,
        "hub.secret": "partner-secret",
      }),
    });
    expect(subscribed.status).toBe(202);
    await until(() => (partnerVerified ? true : undefined), "Babelwire's hub to verify the partner");

    // The agency's source: its first poll finds the hub and subscribes there.
    feedItems = [{ guid: "old-1", title: "Ministers met", body: "The ministers met in Kyiv." }];
    const source = await (
      await api("/v1/sources", {
        method: "POST",
        body: JSON.stringify({ url: feedUrl, name: "Agency", targets: ["es"], review: "auto" }),
      })
    ).json();
    expect(source.id).toBeDefined();
    await api(`/v1/sources/${source.id}/poll`, { method: "POST" });
    const agency = await until(() => agencySubscriptions[0], "the agency's hub to verify Babelwire");
    expect(agency.topic).toBe(feedUrl);
    await until(async () => {
      const health = await (await api(`/v1/sources/${source.id}`)).json();
      return health.health.push?.state === "active" ? true : undefined;
    }, "the source's push to be live");
    // The first item's translation reaches the partner too; wait for it, then start clean.
    await until(() => (partnerPushes.some((push) => push.body.includes("old-1")) ? true : undefined), "the first push");

    // The agency publishes: its hub pushes the new feed, signed, to Babelwire's callback.
    feedItems = [
      { guid: "new-1", title: "The parliament approved the budget", body: "The parliament approved the budget today." },
      ...feedItems,
    ];
    const pushedAt = Date.now();
    const payload = agencyRss();
    const signature = createHmac("sha256", agency.secret).update(payload).digest("hex");
    const delivered = await fetch(agency.callback, {
      method: "POST",
      headers: { "content-type": "application/rss+xml", "x-hub-signature": `sha256=${signature}` },
      body: payload,
    });
    expect(delivered.status).toBe(202);

    const push = await until(
      () => partnerPushes.find((candidate) => candidate.at >= pushedAt && candidate.body.includes("new-1")),
      "Babelwire's hub to push the Spanish item to the partner",
    );
    expect(push.headers["content-type"]).toBe("application/rss+xml; charset=utf-8");
    expect(push.headers["x-hub-signature"]).toBe(
      `sha256=${createHmac("sha256", "partner-secret").update(push.body).digest("hex")}`,
    );
    expect(push.headers.link).toContain(`<${base}/websub/hub>; rel="hub"`);
    expect(push.body).toContain("<language>es</language>");
    // Apertium's Spanish, not the English original.
    expect(push.body).toMatch(/presupuesto/i);
    // The item came by push: the agency's feed was not fetched between the push and the partner's copy.
    expect(feedRequests.filter((at) => at >= pushedAt && at <= push.at)).toEqual([]);
  });
});
