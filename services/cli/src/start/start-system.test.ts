import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import { countArticles } from "@babelwire/db";
import { clearQueuePrefix, testConfig } from "@babelwire/runtime/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSystem, startSystem } from "./start-system.ts";

const SAMPLE = resolve(import.meta.dirname, "../../../../examples/feeds/ukrinform-sample.xml");

let system: RunningSystem;
let token: string;
let brokenFeeds: Server;
let brokenBase: string;

async function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((done) => setTimeout(done, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function api(path: string, init: RequestInit = {}) {
  return fetch(`${system.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...init.headers },
  });
}

interface SourceJson {
  id: string;
  health: {
    lastFetchAt: string | null;
    lastStatus: number | null;
    errorCode: string | null;
    errorMessage: string | null;
    consecutiveErrors: number;
  };
}

async function source(id: string): Promise<SourceJson> {
  return (await (await api(`/v1/sources/${id}`)).json()) as SourceJson;
}

async function addSource(body: object, query = ""): Promise<SourceJson> {
  const response = await api(`/v1/sources${query}`, { method: "POST", body: JSON.stringify(body) });
  expect(response.status).toBe(201);
  return (await response.json()) as SourceJson;
}

async function feed(lang: string): Promise<string> {
  return (await fetch(`${system.url}/v1/feeds/${lang}.rss?token=${token}`)).text();
}

beforeAll(async () => {
  brokenFeeds = createServer((request, response) => {
    if (request.url === "/500") response.writeHead(500).end("oops");
    else
      response
        .writeHead(200, { "content-type": "application/rss+xml" })
        .end(Buffer.from([0xff, 0x00, 0x13, 0x37, 0x42]));
  });
  await new Promise<void>((done) => brokenFeeds.listen(0, "127.0.0.1", done));
  brokenBase = `http://127.0.0.1:${(brokenFeeds.address() as AddressInfo).port}`;
  // The embedded database on disk, as `npm start` runs it by default.
  system = await startSystem(testConfig({ TARGET_LANGUAGES: "es,ca", DATABASE_URL: "" }));
  token = system.adminToken ?? "";
});

afterAll(async () => {
  await clearQueuePrefix(system.runtime.redis, system.runtime.config.QUEUE_PREFIX);
  await system?.stop();
  brokenFeeds?.close();
});

describe("the whole way, on real Redis, PGlite and Apertium", () => {
  let sourceId: string;

  it("prints an admin token on the first start", () => {
    expect(token).toMatch(/^bw_/);
  });

  it("publishes the sample article in Spanish and Catalan feeds after the source is added with review auto", async () => {
    sourceId = (await addSource({ url: SAMPLE, review: "auto", targets: ["es", "ca"] })).id;
    const spanish = await until(
      async () => ((await feed("es")).includes("<item>") ? feed("es") : undefined),
      "the Spanish item",
    );
    expect(spanish).toContain("<language>es</language>");
    expect(spanish).toMatch(/Rusia/);
    expect(spanish).toMatch(/Corea del Norte/);
    expect(spanish).toContain("<content:encoded>");
    expect(spanish).not.toContain("Russia sends military tech");
    const catalan = await until(
      async () => ((await feed("ca")).includes("<item>") ? feed("ca") : undefined),
      "the Catalan item",
    );
    expect(catalan).toMatch(/Rússia/);
  });

  it("polling the same feed again adds no article and no translation", async () => {
    const pollAskedAt = Date.now();
    const poll = await api(`/v1/sources/${sourceId}/poll`, { method: "POST", body: "{}" });
    expect(poll.status).toBe(202);
    await until(async () => {
      const { health } = await source(sourceId);
      const polledAgain = health.lastFetchAt !== null && Date.parse(health.lastFetchAt) > pollAskedAt;
      const idle = (await system.runtime.queues.counts()).every((queue) => queue.active === 0 && queue.waiting === 0);
      return polledAgain && idle ? true : undefined;
    }, "the second poll");
    expect(await countArticles(system.runtime.db, sourceId)).toBe(1);
    const rows = await system.runtime.db.selectFrom("translations").select(["lang"]).execute();
    expect(rows.map((row) => row.lang).sort()).toEqual(["ca", "es"]);
    expect((await feed("es")).match(/<item>/g)).toHaveLength(1);
  });

  it("records a feed answering 500 and one sending garbage on their sources, and keeps working", async () => {
    // Refused at the door with its code; stored anyway with check=false, to see the poller record it.
    const refused = await api("/v1/sources", { method: "POST", body: JSON.stringify({ url: `${brokenBase}/500` }) });
    expect([refused.status, ((await refused.json()) as { error: { code: string } }).error.code]).toEqual([
      422,
      "FEED_HTTP_500",
    ]);
    const added = [
      await addSource({ url: `${brokenBase}/500` }, "?check=false"),
      await addSource({ url: `${brokenBase}/garbage` }, "?check=false"),
    ];
    const [failing, garbage] = await Promise.all(
      added.map(({ id }) =>
        until(async () => {
          const read = await source(id);
          return read.health.errorCode ? read : undefined;
        }, "the error to be recorded"),
      ),
    );
    if (!failing || !garbage) throw new Error("both sources must be read");
    expect(failing.health).toMatchObject({ errorCode: "FEED_HTTP_500", lastStatus: 500, consecutiveErrors: 1 });
    expect(garbage.health.errorCode).toMatch(/^FEED_(PARSE|NOT_A_FEED)$/);
    expect(garbage.health.errorMessage).toBeTruthy();
    const ready = await fetch(`${system.url}/readyz`);
    expect(ready.status).toBe(200);
  });
});
