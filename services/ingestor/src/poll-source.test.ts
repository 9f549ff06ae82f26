import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  countArticles,
  createSource,
  deleteSource,
  getSource,
  getTranslation,
  listPublished,
  listPublishedVersions,
  transitionTranslation,
  updateSource,
  withdrawArticle,
} from "@babelwire/db";
import { createMetrics } from "@babelwire/metrics";
import { openRuntime, type Runtime } from "@babelwire/runtime";
import { clearQueuePrefix, testConfig } from "@babelwire/runtime/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PollStates, pollSource } from "./poll-source.ts";
import { reconcile } from "./reconcile.ts";

const BODY = [
  "NATO Secretary General Mark Rutte said Russia is providing North Korea with advanced military technology,",
  "creating a security threat for Europe, the Indo-Pacific and the United States, before the summit of the",
  "European Political Community in Budapest. Most allies now spend at least 2% of GDP on defense, he added,",
  "and collectively the Alliance must work on the threat from these four countries working together.",
].join(" ");

function rss(items: Array<{ guid: string; title: string; body: string }>): string {
  const entries = items
    .map(
      (item) =>
        `<item><guid>${item.guid}</guid><title>${item.title}</title><link>https://example.org/${encodeURIComponent(item.guid)}</link><description>${item.body}</description><pubDate>Thu, 07 Nov 2024 14:21:00 +0200</pubDate></item>`,
    )
    .join("");
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>https://example.org/</link><language>en</language>${entries}</channel></rss>`;
}

const feeds = new Map<string, string>();
let server: Server;
let base: string;
let runtime: Runtime;
let requests: Array<{ path: string; ifNoneMatch: string | undefined }> = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    requests.push({ path: request.url ?? "", ifNoneMatch: request.headers["if-none-match"] });
    const body = feeds.get(request.url ?? "");
    if (!body) return response.writeHead(404).end();
    // Under /slow/, the answer takes a while: a poll is under way meanwhile.
    if (request.url?.startsWith("/slow/")) {
      setTimeout(() => response.writeHead(200, { "content-type": "application/rss+xml" }).end(body), 500);
      return;
    }
    // Under /plain/, as some agencies' feeds do: no validators, so every poll is a 200.
    if (request.url?.startsWith("/plain/"))
      return response.writeHead(200, { "content-type": "application/rss+xml" }).end(body);
    const etag = `"${body.length}"`;
    if (request.headers["if-none-match"] === etag) return response.writeHead(304).end();
    response.writeHead(200, { "content-type": "application/rss+xml", etag }).end(body);
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  runtime = await openRuntime(testConfig(), "poll-test");
});

afterAll(async () => {
  server.close();
  await clearQueuePrefix(runtime.redis, runtime.config.QUEUE_PREFIX);
  await runtime.close();
});

const deps = () => ({ db: runtime.db, queues: runtime.queues, logger: runtime.logger });

describe("pollSource", () => {
  it("adapts the interval to how often the source publishes and flags it quiet when it stops", async () => {
    const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toUTCString();
    const item = (guid: string, m: number) =>
      `<item><guid>${guid}</guid><title>${guid}</title><description>Story ${guid}</description><pubDate>${minutesAgo(m)}</pubDate></item>`;
    const feed = (...items: string[]) =>
      `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>https://example.org/</link>${items.join("")}</channel></rss>`;
    feeds.set("/busy", feed(item("b1", 1), item("b2", 11), item("b3", 21), item("b4", 31)));
    const source = await createSource(runtime.db, { url: `${base}/busy`, targets: ["es"], intervalSeconds: 3600 });
    await pollSource(deps(), { sourceId: source.id });
    expect(await getSource(runtime.db, source.id)).toMatchObject({
      poll_interval_seconds: 300,
      median_gap_seconds: 600,
      quiet: false,
    });
    feeds.set("/silent", feed(item("s1", 61), item("s2", 71), item("s3", 81), item("s4", 91)));
    const silent = await createSource(runtime.db, { url: `${base}/silent`, targets: ["es"] });
    await pollSource(deps(), { sourceId: silent.id });
    expect((await getSource(runtime.db, silent.id))?.quiet).toBe(true);
    // A 304 brings no items, and silence still counts.
    expect(await pollSource(deps(), { sourceId: silent.id, force: true })).toEqual({ outcome: "not_modified" });
    expect(await getSource(runtime.db, silent.id)).toMatchObject({ quiet: true, poll_interval_seconds: 300 });
  });

  it("stores a feed once, then asks with its ETag and gets a 304 that changes nothing", async () => {
    feeds.set("/a", rss([{ guid: "a1", title: "One", body: "A short item about the weather in Kyiv." }]));
    const source = await createSource(runtime.db, { url: `${base}/a`, targets: ["es"] });
    expect(await pollSource(deps(), { sourceId: source.id })).toMatchObject({ outcome: "fetched", new: 1 });
    requests = [];
    expect(await pollSource(deps(), { sourceId: source.id })).toEqual({ outcome: "skipped", reason: "not due" });
    expect(requests).toEqual([]);
    expect(await pollSource(deps(), { sourceId: source.id, force: true })).toEqual({ outcome: "not_modified" });
    expect(requests).toEqual([{ path: "/a", ifNoneMatch: `"${feeds.get("/a")?.length}"` }]);
    expect(await countArticles(runtime.db, source.id)).toBe(1);
    expect((await getSource(runtime.db, source.id))?.last_status).toBe(304);
  });

  it("stores a feed without validators once: the same items again store nothing until they, the targets or a reconcile change", async () => {
    const items = [
      { guid: "p1", title: "One", body: "A short item about the weather in Kyiv." },
      { guid: "p2", title: "Two", body: "Another item, about the trains to Lviv." },
    ];
    feeds.set("/plain/f", rss(items));
    const source = await createSource(runtime.db, { url: `${base}/plain/f`, targets: ["es"], fullText: "never" });
    const languages = async () =>
      (
        await runtime.db
          .selectFrom("translations")
          .innerJoin("articles", "articles.id", "translations.article_id")
          .select(["articles.guid", "translations.lang"])
          .where("articles.source_id", "=", source.id)
          .orderBy("articles.guid")
          .orderBy("translations.lang")
          .execute()
      ).map((row) => `${row.guid}.${row.lang}`);
    // A row gone behind the poll's back shows whether a poll stored the items again (it re-creates it) or not.
    const dropTranslations = () =>
      runtime.db
        .deleteFrom("translations")
        .where("article_id", "in", (eb) => eb.selectFrom("articles").select("id").where("source_id", "=", source.id))
        .execute();
    expect(await pollSource(deps(), { sourceId: source.id })).toMatchObject({ outcome: "fetched", new: 2 });
    expect(await languages()).toEqual(["p1.es", "p2.es"]);

    await dropTranslations();
    expect(await pollSource(deps(), { sourceId: source.id, force: true })).toMatchObject({
      outcome: "fetched",
      new: 0,
    });
    expect(await languages()).toEqual([]);
    expect((await getSource(runtime.db, source.id))?.last_status).toBe(200);

    // New targets: the same items are stored again, for every target.
    await updateSource(runtime.db, source.id, { targets: ["es", "ca"] });
    await pollSource(deps(), { sourceId: source.id, force: true });
    expect(await languages()).toEqual(["p1.ca", "p1.es", "p2.ca", "p2.es"]);

    // A reconcile (after Redis was lost, say) makes the next poll a full one.
    await dropTranslations();
    await reconcile(runtime.db, runtime.queues);
    await pollSource(deps(), { sourceId: source.id, force: true });
    expect(await languages()).toEqual(["p1.ca", "p1.es", "p2.ca", "p2.es"]);

    // One item changed: the poll stores the feed again.
    await dropTranslations();
    feeds.set("/plain/f", rss([...items.slice(0, 1), { guid: "p2", title: "Two", body: "Changed." }]));
    expect(await pollSource(deps(), { sourceId: source.id, force: true })).toMatchObject({ updated: 1 });
    expect(await languages()).toEqual(["p1.ca", "p1.es", "p2.ca", "p2.es"]);
  });

  it("skips a tick while the source's last tick is still polling it, but not a poll asked for", async () => {
    feeds.set("/slow/f", rss([{ guid: "s1", title: "One", body: "A slow agency's item." }]));
    const source = await createSource(runtime.db, { url: `${base}/slow/f`, targets: ["es"], fullText: "never" });
    const polling = new Set<string>();
    const one = { ...deps(), polling };
    const first = pollSource(one, { sourceId: source.id });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await pollSource(one, { sourceId: source.id })).toEqual({
      outcome: "skipped",
      reason: "a poll of it is under way",
    });
    expect(await pollSource(one, { sourceId: source.id, force: true })).toMatchObject({ outcome: "fetched" });
    expect(await first).toMatchObject({ outcome: "fetched" });
    expect(polling.size).toBe(0);
    // Once it is done, the next tick is up to the source's plan again.
    expect(await pollSource(one, { sourceId: source.id })).toEqual({ outcome: "skipped", reason: "not due" });
  });

  it("names a source added without a name after its feed's title, once, and leaves a named one alone", async () => {
    const feed = rss([{ guid: "n1", title: "One", body: "A short item about the weather in Kyiv." }]).replace(
      "<title>T</title>",
      "<title>Ukrinform: latest news</title>",
    );
    feeds.set("/named", feed);
    feeds.set("/unnamed", feed);
    const unnamed = await createSource(runtime.db, { url: `${base}/unnamed`, targets: ["es"] });
    const named = await createSource(runtime.db, { url: `${base}/named`, name: "Ukrinform", targets: ["es"] });
    expect(unnamed.name).toBe(unnamed.url);
    await pollSource(deps(), { sourceId: unnamed.id });
    await pollSource(deps(), { sourceId: named.id });
    expect((await getSource(runtime.db, unnamed.id))?.name).toBe("Ukrinform: latest news");
    expect((await getSource(runtime.db, named.id))?.name).toBe("Ukrinform");
    // Named once: a later change of the feed's title is not the operator's choice to follow.
    feeds.set("/unnamed", feed.replace("Ukrinform: latest news", "Something else").replace("n1", "n2"));
    await pollSource(deps(), { sourceId: unnamed.id, force: true });
    expect((await getSource(runtime.db, unnamed.id))?.name).toBe("Ukrinform: latest news");
  });

  it("finds a source due on a tick a little before its planned poll, and not due half a tick earlier", async () => {
    feeds.set("/tick", rss([{ guid: "t1", title: "One", body: "A short item about the weather in Kyiv." }]));
    const source = await createSource(runtime.db, { url: `${base}/tick`, targets: ["es"], intervalSeconds: 60 });
    await pollSource(deps(), { sourceId: source.id });
    const planned = (await getSource(runtime.db, source.id))?.next_poll_at;
    if (!planned) throw new Error("the poll planned no next poll");
    const at = (offsetMs: number) => ({ ...deps(), now: () => new Date(planned.getTime() + offsetMs) });
    expect(await pollSource(at(-31_000), { sourceId: source.id })).toEqual({ outcome: "skipped", reason: "not due" });
    // A repeat job run 20 ms early is this source's turn, not a minute's wait.
    expect(await pollSource(at(-20), { sourceId: source.id })).toEqual({ outcome: "not_modified" });
  });

  it("tells apart two items that share a GUID and keeps them apart on the next poll", async () => {
    feeds.set(
      "/dup",
      rss([
        { guid: "x", title: "First", body: "first story" },
        { guid: "x", title: "Second", body: "second story" },
      ]),
    );
    const source = await createSource(runtime.db, { url: `${base}/dup`, targets: ["es"] });
    await pollSource(deps(), { sourceId: source.id });
    feeds.set("/dup", `${feeds.get("/dup")} `);
    expect(await pollSource(deps(), { sourceId: source.id, force: true })).toMatchObject({
      outcome: "fetched",
      new: 0,
      updated: 0,
    });
    const rows = await runtime.db
      .selectFrom("articles")
      .select(["guid", "version"])
      .where("source_id", "=", source.id)
      .orderBy("guid")
      .execute();
    expect(rows.map((row) => row.version)).toEqual([1, 1]);
    expect(rows[0]?.guid).toBe("x");
    expect(rows[1]?.guid).toMatch(/^x#[0-9a-f]{12}$/);
  });

  it("links the same wire copy from two agencies' feeds as one story, and a different story apart", async () => {
    feeds.set("/wire1", rss([{ guid: "w1", title: "Rutte warns", body: BODY }]));
    feeds.set(
      "/wire2",
      rss([
        {
          guid: "w2",
          title: "NATO chief warns",
          body: `BRUSSELS (Agency) — ${BODY.replace("Budapest", "Budapest, Hungary")}`,
        },
        {
          guid: "w3",
          title: "Rates",
          body: "The central bank raised interest rates by half a point on Thursday, citing inflation in services.",
        },
      ]),
    );
    const one = await createSource(runtime.db, { url: `${base}/wire1`, targets: ["es"] });
    const two = await createSource(runtime.db, { url: `${base}/wire2`, targets: ["es"] });
    await pollSource(deps(), { sourceId: one.id });
    await pollSource(deps(), { sourceId: two.id });
    const rows = await runtime.db
      .selectFrom("articles")
      .select(["id", "guid", "story_id"])
      .where("guid", "in", ["w1", "w2", "w3"])
      .orderBy("guid")
      .execute();
    const [w1, w2, w3] = rows;
    expect(w1?.story_id).toBe(w1?.id);
    expect(w2?.story_id).toBe(w1?.id);
    expect(w3?.story_id).toBe(w3?.id);
  });

  it("records a 404 on the source, backs off, and skips polls until the backoff has passed", async () => {
    const source = await createSource(runtime.db, { url: `${base}/missing`, targets: ["es"] });
    expect(await pollSource(deps(), { sourceId: source.id })).toEqual({ outcome: "error", code: "FEED_HTTP_404" });
    const failing = await getSource(runtime.db, source.id);
    expect(failing).toMatchObject({ error_code: "FEED_HTTP_404", consecutive_errors: 1, last_status: 404 });
    expect(failing?.next_poll_at?.getTime()).toBeGreaterThan(Date.now());
    expect(await pollSource(deps(), { sourceId: source.id })).toMatchObject({ outcome: "skipped" });
    expect(await pollSource(deps(), { sourceId: source.id, force: true })).toMatchObject({ outcome: "error" });
    expect((await getSource(runtime.db, source.id))?.consecutive_errors).toBe(2);
  });

  it("leaves a paused source unread, even on a forced poll, and reads it again once resumed", async () => {
    feeds.set(
      "/paused",
      rss([{ guid: "p-1", title: "Paused", body: "Nobody reads this while the source is paused." }]),
    );
    const source = await createSource(runtime.db, { url: `${base}/paused`, targets: ["es"] });
    await updateSource(runtime.db, source.id, { paused: true });
    requests = [];
    expect(await pollSource(deps(), { sourceId: source.id })).toEqual({ outcome: "skipped", reason: "paused" });
    expect(await pollSource(deps(), { sourceId: source.id, force: true })).toEqual({
      outcome: "skipped",
      reason: "paused",
    });
    expect(requests).toEqual([]);
    await updateSource(runtime.db, source.id, { paused: false });
    expect(await pollSource(deps(), { sourceId: source.id })).toMatchObject({ outcome: "fetched", new: 1 });
  });

  it("counts polls by outcome code and the articles they stored", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const counted = { ...deps(), metrics };
    feeds.set(
      "/counted",
      rss([
        { guid: "c1", title: "One", body: "Counted." },
        { guid: "c2", title: "Two", body: "Too." },
      ]),
    );
    const source = await createSource(runtime.db, { url: `${base}/counted`, targets: ["es"] });
    await pollSource(counted, { sourceId: source.id });
    await pollSource(counted, { sourceId: source.id, force: true });
    await pollSource(counted, { sourceId: source.id });
    const missing = await createSource(runtime.db, { url: `${base}/counted-missing`, targets: ["es"] });
    await pollSource(counted, { sourceId: missing.id });
    const text = await metrics.render();
    expect(text).toContain('babelwire_feed_polls_total{outcome="fetched"} 1');
    expect(text).toContain('babelwire_feed_polls_total{outcome="not_modified"} 1');
    expect(text).toContain('babelwire_feed_polls_total{outcome="skipped"} 1');
    expect(text).toContain('babelwire_feed_polls_total{outcome="FEED_HTTP_404"} 1');
    expect(text).toContain("babelwire_articles_ingested_total 2");
  });
});

describe("pollSource remembering sources between polls", () => {
  // One process's deps: its memory of the sources it polled outlives each poll.
  const processDeps = () => ({ ...deps(), pollStates: new Map() as PollStates });

  it("records consecutive 304s from what it remembers, and notices another process's poll in between", async () => {
    feeds.set("/r1", rss([{ guid: "r1", title: "One", body: "A short item about the port of Odesa." }]));
    const source = await createSource(runtime.db, { url: `${base}/r1`, targets: ["es"] });
    const one = processDeps();
    const other = processDeps();
    expect(await pollSource(one, { sourceId: source.id })).toMatchObject({ outcome: "fetched", new: 1 });
    expect(await pollSource(one, { sourceId: source.id, force: true })).toEqual({ outcome: "not_modified" });
    expect(one.pollStates.get(source.id)?.next_poll_at).toEqual((await getSource(runtime.db, source.id))?.next_poll_at);

    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await pollSource(other, { sourceId: source.id, force: true })).toEqual({ outcome: "not_modified" });
    const byOther = (await getSource(runtime.db, source.id))?.next_poll_at;
    await new Promise((resolve) => setTimeout(resolve, 5));
    requests = [];
    // The row changed under the first process's memory: the 304 it gets still answers the same
    // request, so it is recorded after one more read, and no second request goes out.
    expect(await pollSource(one, { sourceId: source.id, force: true })).toEqual({ outcome: "not_modified" });
    expect(requests).toHaveLength(1);
    const after = await getSource(runtime.db, source.id);
    expect(after?.next_poll_at?.getTime()).toBeGreaterThan(byOther?.getTime() ?? Number.POSITIVE_INFINITY);
    expect(after).toMatchObject({ last_status: 304, consecutive_errors: 0 });
  });

  it("fetches the URL an operator set since the last poll, not the one it remembers", async () => {
    feeds.set("/old", rss([{ guid: "old", title: "Old", body: "The feed at the old address." }]));
    feeds.set("/new", rss([{ guid: "new", title: "New", body: "The feed at its new, longer address." }]));
    const source = await createSource(runtime.db, { url: `${base}/old`, targets: ["es"] });
    const one = processDeps();
    await pollSource(one, { sourceId: source.id });
    expect(await pollSource(one, { sourceId: source.id, force: true })).toEqual({ outcome: "not_modified" });
    await runtime.db
      .updateTable("sources")
      .set({ url: `${base}/new`, updated_at: new Date() })
      .where("id", "=", source.id)
      .execute();
    requests = [];
    expect(await pollSource(one, { sourceId: source.id, force: true })).toMatchObject({ outcome: "fetched", new: 1 });
    // The remembered URL was asked once (its 304 then found stale), then the new one.
    expect(requests.map((request) => request.path)).toEqual(["/old", "/new"]);
    expect(await countArticles(runtime.db, source.id)).toBe(2);
  });

  it("uses the targets an operator set since the last poll when the feed has something new", async () => {
    feeds.set("/t", rss([{ guid: "t1", title: "One", body: "First item of the feed." }]));
    const source = await createSource(runtime.db, { url: `${base}/t`, targets: ["es"], fullText: "never" });
    const one = processDeps();
    await pollSource(one, { sourceId: source.id });
    await pollSource(one, { sourceId: source.id, force: true });
    await updateSource(runtime.db, source.id, { targets: ["es", "ca"] });
    feeds.set(
      "/t",
      rss([
        { guid: "t1", title: "One", body: "First item of the feed." },
        { guid: "t2", title: "Two", body: "Second item of the feed." },
      ]),
    );
    expect(await pollSource(one, { sourceId: source.id, force: true })).toMatchObject({ outcome: "fetched", new: 1 });
    const languages = await runtime.db
      .selectFrom("translations")
      .innerJoin("articles", "articles.id", "translations.article_id")
      .select("translations.lang")
      .where("articles.source_id", "=", source.id)
      .where("articles.guid", "=", "t2")
      .orderBy("translations.lang")
      .execute();
    expect(languages.map((row) => row.lang)).toEqual(["ca", "es"]);
  });

  it("skips a source deleted since it was remembered", async () => {
    feeds.set("/gone", rss([{ guid: "g1", title: "One", body: "Soon gone." }]));
    const source = await createSource(runtime.db, { url: `${base}/gone`, targets: ["es"] });
    const one = processDeps();
    await pollSource(one, { sourceId: source.id });
    await pollSource(one, { sourceId: source.id, force: true });
    await deleteSource(runtime.db, source.id);
    expect(await pollSource(one, { sourceId: source.id, force: true })).toEqual({
      outcome: "skipped",
      reason: "source deleted",
    });
    expect(one.pollStates.has(source.id)).toBe(false);
  });
});

describe("a withdrawn article stays withdrawn", () => {
  /** A published Spanish version of the only item of a fresh source, as partners read it. */
  async function publishedItem(path: string) {
    feeds.set(path, rss([{ guid: `${path}-1`, title: "Killed story", body: "The first text of a story." }]));
    const source = await createSource(runtime.db, { url: `${base}${path}`, targets: ["es"], fullText: "never" });
    await pollSource(deps(), { sourceId: source.id });
    const row = await runtime.db
      .selectFrom("translations")
      .innerJoin("articles", "articles.id", "translations.article_id")
      .select(["translations.id", "translations.article_id"])
      .where("articles.source_id", "=", source.id)
      .executeTakeFirstOrThrow();
    await transitionTranslation(runtime.db, row.id, "start", { actor: "system" });
    const machine = {
      title: "Historia retirada",
      summary: "",
      contentHtml: "<p>El primer texto.</p>",
      segments: [{ id: "s1", source: "<p>The first text.</p>", target: "<p>El primer texto.</p>" }],
      qa: [],
      engine: "apertium",
    };
    await transitionTranslation(runtime.db, row.id, "finish", { actor: "system", machine });
    await transitionTranslation(runtime.db, row.id, "approve", { actor: "editor" });
    await transitionTranslation(runtime.db, row.id, "publish", { actor: "system" });
    return { source, translationId: row.id, articleId: row.article_id };
  }

  it("keeps every language withdrawn and out of the feeds when the agency later changes the item", async () => {
    const { source, translationId, articleId } = await publishedItem("/killed");
    await withdrawArticle(runtime.db, articleId, { actor: "editor", reason: "legal" });
    feeds.set("/killed", rss([{ guid: "/killed-1", title: "Killed story", body: "A changed text of the story." }]));
    expect(await pollSource(deps(), { sourceId: source.id, force: true })).toMatchObject({ updated: 1 });
    expect((await getTranslation(runtime.db, translationId))?.status).toBe("withdrawn");
    expect(await listPublished(runtime.db, { lang: "es", articleId, limit: 10 })).toEqual([]);
    const synced = await listPublished(runtime.db, { lang: "es", articleId, withdrawn: true, limit: 10 });
    expect(synced.map((item) => item.status)).toEqual(["withdrawn"]);
  });

  it("serves nothing of a withdrawn article even if a language version is found live", async () => {
    const { articleId, translationId } = await publishedItem("/killed-live");
    // A withdrawal the translation rows missed (a crash between the two writes): the article decides.
    await runtime.db.updateTable("articles").set({ withdrawn_at: new Date() }).where("id", "=", articleId).execute();
    expect((await getTranslation(runtime.db, translationId))?.status).toBe("published");
    expect(await listPublished(runtime.db, { lang: "es", articleId, limit: 10 })).toEqual([]);
    expect(await listPublishedVersions(runtime.db, [articleId])).toEqual([]);
    const synced = await listPublished(runtime.db, { lang: "es", articleId, withdrawn: true, limit: 10 });
    expect(synced.map((item) => item.status)).toEqual(["withdrawn"]);
  });
});

describe("hostile characters in a feed", () => {
  it("strips NUL and unpaired surrogates from RSS and JSON Feed items and stores them", async () => {
    feeds.set(
      "/nul.xml",
      rss([
        { guid: "nul-1", title: "Kyiv&#0; talks", body: "Talks in Kyiv&#0; went on." },
        { guid: "nul-2", title: "Plain", body: "A plain item." },
      ]),
    );
    const rssSource = await createSource(runtime.db, { url: `${base}/nul.xml`, targets: ["es"], fullText: "never" });
    expect(await pollSource(deps(), { sourceId: rssSource.id })).toMatchObject({ outcome: "fetched", new: 2 });
    const json = JSON.stringify({
      version: "https://jsonfeed.org/version/1.1",
      title: "J",
      items: [
        { id: "j1", title: "Lviv\u0000 news\ud800", content_text: "Text\udc00 of it." },
        { id: "j2", title: "Fine", content_text: "Fine text." },
      ],
    });
    feeds.set("/nul.json", json);
    const jsonSource = await createSource(runtime.db, { url: `${base}/nul.json`, targets: ["es"], fullText: "never" });
    expect(await pollSource(deps(), { sourceId: jsonSource.id })).toMatchObject({ outcome: "fetched", new: 2 });
    const titles = await runtime.db
      .selectFrom("articles")
      .select("title")
      .where("source_id", "in", [rssSource.id, jsonSource.id])
      .orderBy("title")
      .execute();
    expect(titles.map((row) => row.title)).toEqual(["Fine", "Kyiv talks", "Lviv news", "Plain"]);
  });

  it("stores the rest of the feed when one item cannot be stored, and says so on the source", async () => {
    const hugeGuid = randomBytes(6000).toString("hex");
    feeds.set(
      "/one-bad",
      rss([
        { guid: hugeGuid, title: "Unstorable", body: "Its key is too long for any index." },
        { guid: "good-1", title: "Good", body: "A good item." },
      ]),
    );
    const source = await createSource(runtime.db, { url: `${base}/one-bad`, targets: ["es"], fullText: "never" });
    expect(await pollSource(deps(), { sourceId: source.id })).toMatchObject({ outcome: "fetched", new: 1 });
    expect(await countArticles(runtime.db, source.id)).toBe(1);
    const health = await getSource(runtime.db, source.id);
    expect(health).toMatchObject({ error_code: "FEED_ITEM_NOT_STORED", consecutive_errors: 0 });
    expect(health?.error_message).not.toContain(hugeGuid.slice(0, 40));
  });

  it("caps a 1 MB title at ingestion", async () => {
    feeds.set("/long-title", rss([{ guid: "long-1", title: "word ".repeat(200_000), body: "Body." }]));
    const source = await createSource(runtime.db, { url: `${base}/long-title`, targets: ["es"], fullText: "never" });
    await pollSource(deps(), { sourceId: source.id });
    const stored = await runtime.db
      .selectFrom("articles")
      .select(["title", "summary"])
      .where("source_id", "=", source.id)
      .executeTakeFirstOrThrow();
    expect(stored.title.length).toBeLessThanOrEqual(1000);
    expect(stored.title.endsWith("…")).toBe(true);
  });
});
