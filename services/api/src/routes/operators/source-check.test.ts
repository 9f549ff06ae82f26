import { mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { CodedError } from "@babelwire/core";
import { createToken } from "@babelwire/db";
import { startWorkers } from "@babelwire/queue";
import type { Runtime } from "@babelwire/runtime";
import { testConfig } from "@babelwire/runtime/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiApp } from "../../app.ts";
import { openTestApp, type TestApp } from "../../testing/test-app.ts";

/**
 * Operator input checked at the door: a source is read before it is stored, a web page becomes
 * its feed, targets must be reachable by the engine chain, and bad input says what would do.
 */

const RSS = (title: string) => `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>${title}</title><link>https://wire.example/</link><language>en</language>
<item><title>Leaders met in Brussels</title><link>https://wire.example/1</link><guid>w-1</guid>
<description>The European leaders agreed on a new aid package for the region on Monday.</description></item>
</channel></rss>`;

const ATOM = `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Local Wire (Atom)</title><id>urn:x</id><updated>2026-01-01T00:00:00Z</updated>
<entry><title>Leaders met</title><id>urn:x:1</id><updated>2026-01-01T00:00:00Z</updated><summary>Leaders met on Monday.</summary></entry></feed>`;

const page = (head: string) =>
  `<!doctype html><html><head><title>Local Wire</title>${head}</head><body><p>News</p></body></html>`;

const ROUTES: Record<string, { type: string; body: string }> = {
  "/feed.xml": { type: "application/rss+xml", body: RSS("Local Wire") },
  "/atom.xml": { type: "application/atom+xml", body: ATOM },
  "/news/": { type: "text/html", body: page('<link rel="alternate" type="application/rss+xml" href="../feed.xml">') },
  "/two.html": {
    type: "text/html",
    body: page(
      '<link rel="alternate" type="application/rss+xml" href="/feed.xml"><link rel="alternate" type="application/atom+xml" href="/atom.xml">',
    ),
  },
};

/** File sources may only read the feed files folder: this test's own. */
const FEEDS = mkdtempSync(join(tmpdir(), "bw-source-check-"));

let testApp: TestApp;
let runtime: Runtime;
let app: ApiApp;
let admin: string;
let editor: string;
let site: Server;
let bare: Server;
let origin: string;
let bareOrigin: string;

function listen(handler: (path: string) => { status: number; type: string; body: string }): Promise<Server> {
  const server = createServer((request, response) => {
    const answer = handler(new URL(request.url ?? "/", "http://x").pathname);
    response.writeHead(answer.status, { "content-type": answer.type }).end(answer.body);
  });
  return new Promise((done) => server.listen(0, "127.0.0.1", () => done(server)));
}

const urlOf = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

beforeAll(async () => {
  testApp = await openTestApp("source-check-test", testConfig({ FEED_FILES_DIR: FEEDS }));
  ({ runtime, app } = testApp);
  admin = (await createToken(runtime.db, { role: "admin" })).token;
  editor = (await createToken(runtime.db, { role: "editor" })).token;
  site = await listen((path) => {
    const route = ROUTES[path];
    return route ? { status: 200, ...route } : { status: 404, type: "text/plain", body: "not here" };
  });
  // A site whose page announces no feed, with one at a usual path.
  bare = await listen((path) =>
    path === "/rss.xml"
      ? { status: 200, type: "application/rss+xml", body: RSS("Bare Wire") }
      : path === "/"
        ? { status: 200, type: "text/html", body: page("") }
        : { status: 404, type: "text/plain", body: "" },
  );
  origin = urlOf(site);
  bareOrigin = urlOf(bare);
});

afterAll(async () => {
  site?.close();
  bare?.close();
  await testApp?.close();
});

const post = (payload: object, query = "", token = admin) =>
  app.inject({ method: "POST", url: `/v1/sources${query}`, headers: { authorization: `Bearer ${token}` }, payload });

/** Poll jobs waiting for this source: a new source must have exactly one. */
async function waitingPolls(sourceId: string): Promise<number> {
  const ids = await runtime.redis.lrange(`${runtime.config.QUEUE_PREFIX}:poll:wait`, 0, -1);
  let count = 0;
  for (const id of ids) {
    const data = await runtime.redis.hget(`${runtime.config.QUEUE_PREFIX}:poll:${id}`, "data");
    if (data && JSON.parse(data).sourceId === sourceId) count++;
  }
  return count;
}

describe("adding a source reads it first", () => {
  it("refuses what is not a feed with 422 and the feed error code", async () => {
    const missing = await post({ url: `${FEEDS}/no-such-dir/feed.xml` });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().error).toMatchObject({ code: "FEED_FILE_NOT_FOUND", field: "url" });
    const gone = await post({ url: `${origin}/missing.xml` });
    expect([gone.statusCode, gone.json().error.code]).toEqual([422, "FEED_HTTP_404"]);
    const nowhere = await post({ url: "http://no-such-host.invalid/feed.xml" });
    expect([nowhere.statusCode, nowhere.json().error.code]).toEqual([422, "FEED_DNS"]);
    // The host itself, not "the host of no-such-host.invalid/feed.xml".
    expect(nowhere.json().error.message).toMatch(/^The host name no-such-host\.invalid could not be resolved/);
    const rows = await runtime.db.selectFrom("sources").select("url").execute();
    expect(rows).toEqual([]);
  });

  it("stores it unread with ?check=false", async () => {
    const response = await post({ url: `${FEEDS}/nowhere/offline.xml` }, "?check=false");
    expect(response.statusCode).toBe(201);
    expect(response.json().url).toBe(`${FEEDS}/nowhere/offline.xml`);
  });

  it("takes a feed's title as the name, and polls a new source once", async () => {
    const response = await post({ url: `${origin}/feed.xml` });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ url: `${origin}/feed.xml`, name: "Local Wire" });
    expect(await waitingPolls(response.json().id)).toBe(1);
  });

  it("turns a web page into the feed it announces, or the one at a usual path", async () => {
    const announced = await post({ url: `${origin}/news/`, name: "Announced" });
    expect(announced.statusCode, announced.body).toBe(409);
    // The page leads to /feed.xml, which the previous test added: the same source, refused as one.
    expect(announced.json().error.message).toContain(`${origin}/feed.xml`);
    const usual = await post({ url: `${bareOrigin}/` });
    expect(usual.statusCode, usual.body).toBe(201);
    expect(usual.json()).toMatchObject({ url: `${bareOrigin}/rss.xml`, name: "Bare Wire" });
  });

  it("offers the feeds when a page announces several", async () => {
    const response = await post({ url: `${origin}/two.html` });
    expect(response.statusCode).toBe(422);
    expect(response.json().error.code).toBe("FEED_NOT_A_FEED");
    expect(response.json().error.message).toContain(`${origin}/feed.xml`);
    expect(response.json().error.message).toContain(`${origin}/atom.xml`);
  });
});

describe("target languages are checked against the engine chain", () => {
  it("refuses a target no engine reaches, naming the pairs there are", async () => {
    const response = await post({ url: `${origin}/atom.xml`, language: "en", targets: ["de"] });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: "unsupported_target", field: "targets" });
    expect(response.json().error.message).toContain("from en into de");
    expect(response.json().error.message).toContain("en→es");
  });

  it("checks a changed target list too", async () => {
    const created = await post(
      { url: `${FEEDS}/nowhere/patched.xml`, language: "en", targets: ["es"] },
      "?check=false",
    );
    const id = created.json().id;
    const refused = await app.inject({
      method: "PATCH",
      url: `/v1/sources/${id}`,
      headers: { authorization: `Bearer ${admin}` },
      payload: { targets: ["es", "de"] },
    });
    expect([refused.statusCode, refused.json().error.code]).toEqual([400, "unsupported_target"]);
    const accepted = await app.inject({
      method: "PATCH",
      url: `/v1/sources/${id}`,
      headers: { authorization: `Bearer ${admin}` },
      payload: { targets: ["es", "ca"] },
    });
    expect(accepted.statusCode).toBe(200);
  });
});

describe("validation errors say what would be accepted", () => {
  const send = (payload: object) => post(payload, "?check=false");

  it("names an unknown property", async () => {
    const response = await send({ url: `${origin}/feed.xml`, colour: "red" });
    expect(response.json().error).toMatchObject({ field: "colour", message: "colour is not a field this body takes" });
  });

  it("lists an enum's allowed values", async () => {
    const response = await send({ url: `${origin}/feed.xml`, review: "sometimes" });
    expect(response.json().error.message).toBe('review must be one of: "auto", "strict", "required"');
  });

  it("shows no regular expression", async () => {
    const response = await send({ url: `${origin}/feed.xml`, interval: "soon" });
    expect(response.json().error.message).toBe(
      "interval is not in the accepted form: a duration such as 90s, 5m or 2h",
    );
    expect(response.json().error.message).not.toMatch(/\^|\$|\\d/);
  });

  it("says a required field is required, once", async () => {
    const response = await app.inject({
      method: "GET",
      url: "/v1/articles",
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(response.json().error).toMatchObject({ field: "lang", message: "lang is required" });
  });

  it("states the body limit on 413", async () => {
    const response = await send({ url: `${origin}/feed.xml`, name: "x".repeat(2 * 1024 * 1024) });
    expect(response.statusCode).toBe(413);
    expect(response.json().error.message).toContain("1048576 bytes");
  });

  it("says which content type to send on 415", async () => {
    const response = await app.inject({
      method: "POST",
      url: "/v1/sources",
      headers: { authorization: `Bearer ${admin}`, "content-type": "application/x-www-form-urlencoded" },
      payload: "url=https%3A%2F%2Fwire.example%2Ffeed",
    });
    expect(response.statusCode).toBe(415);
    expect(response.json().error.message).toBe(
      "This route takes a JSON body: send Content-Type: application/json (this request sent application/x-www-form-urlencoded).",
    );
  });

  it("reads 'An editor token', not 'A editor token'", async () => {
    const response = await post({ url: `${origin}/feed.xml` }, "", editor);
    expect(response.statusCode).toBe(403);
    expect(response.json().error.message).toBe("An editor token cannot use this route.");
  });
});

describe("removing a source", () => {
  it("removes its failed jobs from the failed counts, and leaves other sources' ones", {
    timeout: 120_000,
  }, async () => {
    const gone = (await post({ url: `${FEEDS}/nowhere/gone.xml` }, "?check=false")).json().id;
    const kept = (await post({ url: `${FEEDS}/nowhere/kept.xml` }, "?check=false")).json().id;
    const workers = startWorkers(
      {
        poll: async () => {
          throw new CodedError("FEED_HTTP_500", "the agency answered 500", { permanent: true });
        },
      },
      { connection: runtime.redis, prefix: runtime.config.QUEUE_PREFIX, logger: { debug: () => {}, error: () => {} } },
    );
    const failedFor = async (id: string) =>
      (await runtime.queues.listFailed("poll", 500)).filter((job) => job.data.sourceId === id).length;
    try {
      while ((await failedFor(gone)) === 0 || (await failedFor(kept)) === 0) await sleep(100);
    } finally {
      await workers.close();
    }
    const removed = await app.inject({
      method: "DELETE",
      url: `/v1/sources/${gone}`,
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(removed.statusCode).toBe(204);
    expect(await failedFor(gone)).toBe(0);
    expect(await failedFor(kept)).toBeGreaterThan(0);
  });
});

describe("pausing a source through the API", () => {
  it("takes {paused}, shows it in the source and its health, removes the schedule, and refuses a manual poll", async () => {
    const id = (await post({ url: `${FEEDS}/nowhere/pausable.xml` }, "?check=false")).json().id;
    const patch = (paused: boolean) =>
      app.inject({
        method: "PATCH",
        url: `/v1/sources/${id}`,
        headers: { authorization: `Bearer ${admin}` },
        payload: { paused },
      });
    const repeat = `${runtime.config.QUEUE_PREFIX}:poll:repeat`;
    const paused = await patch(true);
    expect(paused.json()).toMatchObject({ paused: true, health: { state: "paused" } });
    expect(await runtime.redis.zscore(repeat, `poll.${id}`)).toBeNull();
    const poll = await app.inject({
      method: "POST",
      url: `/v1/sources/${id}/poll`,
      headers: { authorization: `Bearer ${admin}` },
    });
    expect([poll.statusCode, poll.json().error.code]).toEqual([409, "source_paused"]);
    const resumed = await patch(false);
    expect(resumed.json()).toMatchObject({ paused: false, health: { state: "active" } });
    expect(await runtime.redis.zscore(repeat, `poll.${id}`)).not.toBeNull();
  });
});

describe("OPML through the API", () => {
  it("exports the sources and imports a file's feeds", async () => {
    await post({ url: `${origin}/feed.xml` });
    const exported = await app.inject({
      method: "GET",
      url: "/v1/sources.opml",
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(exported.statusCode).toBe(200);
    expect(exported.headers["content-type"]).toBe("text/x-opml; charset=utf-8");
    expect(exported.body).toContain(`xmlUrl="${origin}/feed.xml"`);
    const opml = `<?xml version="1.0"?><opml version="2.0"><body>
      <outline text="Atom wire" xmlUrl="${origin}/atom.xml"/><outline text="Known" xmlUrl="${origin}/feed.xml"/>
      <outline text="Broken" xmlUrl="${origin}/broken.xml"/></body></opml>`;
    const imported = await app.inject({
      method: "POST",
      url: "/v1/sources/import",
      headers: { authorization: `Bearer ${admin}`, "content-type": "text/x-opml" },
      payload: opml,
    });
    expect(imported.statusCode, imported.body).toBe(200);
    const result = imported.json();
    expect(result.added.map((source: { url: string; name: string }) => [source.url, source.name])).toEqual([
      [`${origin}/atom.xml`, "Atom wire"],
    ]);
    expect(result.existing).toEqual([`${origin}/feed.xml`]);
    expect(result.failed).toEqual([expect.objectContaining({ url: `${origin}/broken.xml`, code: "FEED_HTTP_404" })]);
    const bad = await app.inject({
      method: "POST",
      url: "/v1/sources/import",
      headers: { authorization: `Bearer ${admin}`, "content-type": "text/x-opml" },
      payload: "<html><body>not opml</body></html>",
    });
    expect([bad.statusCode, bad.json().error.code]).toEqual([400, "invalid_opml"]);
    const bomb = await app.inject({
      method: "POST",
      url: "/v1/sources/import",
      headers: { authorization: `Bearer ${admin}`, "content-type": "application/xml" },
      payload:
        '<?xml version="1.0"?><!DOCTYPE o [<!ENTITY a "aaaa">]><opml><body><outline xmlUrl="&a;"/></body></opml>',
    });
    expect([bomb.statusCode, bomb.json().error.code]).toEqual([400, "invalid_opml"]);
  });
});
