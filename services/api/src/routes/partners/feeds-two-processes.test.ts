import { createPartner, createSource, createToken, upsertArticle } from "@babelwire/db";
import { publishTestTranslation, testArticle } from "@babelwire/db/testing";
import { connectRedis } from "@babelwire/queue";
import { openRuntime, type Runtime } from "@babelwire/runtime";
import { clearQueuePrefix, testConfig } from "@babelwire/runtime/testing";
import { feedGenerationKey, invalidateFeeds } from "@babelwire/syndicate";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiApp, buildApp } from "../../app.ts";

/**
 * Two API processes on one database and one Redis: each with its own Redis connections, its own
 * subscription and its own feeds in memory, as two `node services/api` would have.
 */
let runtime: Runtime;
let otherRedis: Redis;
let first: ApiApp;
let second: ApiApp;
let partnerToken: string;
let adminToken: string;
let sourceId: string;

async function until(probe: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 5));
  }
}

async function story(guid: string, title: string): Promise<string> {
  const { id } = await upsertArticle(runtime.db, sourceId, testArticle(guid, { title }));
  await publishTestTranslation(runtime.db, id, "es", title);
  return id;
}

const feed = async (app: ApiApp) =>
  (await app.inject({ method: "GET", url: "/v1/feeds/es.rss", headers: { authorization: `Bearer ${partnerToken}` } }))
    .body;

/** Every command a connection sends, seen through Redis MONITOR. */
async function watchCommands(of: Redis) {
  const monitor = await (runtime.redis as Redis).monitor();
  const port = of.stream.localPort;
  const seen: string[][] = [];
  monitor.on("monitor", (_time: string, args: string[], source: string) => {
    if (source.endsWith(`:${port}`)) seen.push(args);
  });
  /** The commands sent so far: a marker sent last on the same connection comes back after them all. */
  const drain = async () => {
    const marker = `drain-${Math.random()}`;
    await of.echo(marker);
    await until(() => seen.some((args) => args[1] === marker), "MONITOR to catch up");
    return seen.filter((args) => args[0]?.toLowerCase() !== "echo");
  };
  await drain();
  seen.length = 0;
  return { drain, close: () => monitor.disconnect() };
}

beforeAll(async () => {
  runtime = await openRuntime(testConfig(), "feeds-two-processes-test");
  otherRedis = connectRedis(runtime.config.REDIS_URL) as Redis;
  first = await buildApp(runtime);
  // Its own connections, shared and request-path alike, so MONITOR tells its commands apart.
  second = await buildApp({ ...runtime, redis: otherRedis, requestRedis: otherRedis });
  const partner = await createPartner(runtime.db, { name: "Diario", languages: ["es"] });
  partnerToken = (await createToken(runtime.db, { role: "partner", partnerId: partner.id })).token;
  adminToken = (await createToken(runtime.db, { role: "admin" })).token;
  sourceId = (await createSource(runtime.db, { url: "https://example.org/feed", targets: ["es"] })).id;
  await story("kept", "Se queda");
  await until(() => first.feedGenerations.live && second.feedGenerations.live, "both subscriptions");
});

afterAll(async () => {
  await first?.close();
  await second?.close();
  await otherRedis?.quit();
  await clearQueuePrefix(runtime.redis, runtime.config.QUEUE_PREFIX);
  await runtime?.close();
});

describe("feed generations pushed to every API process", () => {
  it("shows a withdrawal made on one process in the other's feed without reading the generation", async () => {
    const gone = await story("withdrawn", "Se retira");
    await invalidateFeeds(runtime.redis, runtime.config.QUEUE_PREFIX, "es");
    await until(async () => (await feed(second)).includes("Se retira"), "the second process to see the story");
    await feed(second); // from memory now
    const commands = await watchCommands(otherRedis);
    try {
      const withdrawal = await first.inject({
        method: "POST",
        url: `/v1/articles/${gone}/withdraw`,
        headers: { authorization: `Bearer ${adminToken}` },
        payload: { reason: "legal" },
      });
      expect(withdrawal.statusCode).toBe(200);
      const generation = Number(await runtime.redis.get(feedGenerationKey(runtime.config.QUEUE_PREFIX, "es")));
      await until(() => second.feedGenerations.known("es") === generation, "the push to reach the second process");
      const after = await feed(second);
      expect(after).not.toContain("Se retira");
      expect(after).toContain("Se queda");
      expect(await feed(second)).toBe(after);
      const sent = await commands.drain();
      // The one rendering at the new generation is looked up and stored; the generation is never read.
      expect(sent.filter((args) => args.some((arg) => arg.includes(":feedgen")))).toEqual([]);
      const feedCommands = sent.filter((args) => args.some((arg) => arg.includes(":feed:es:")));
      expect(feedCommands.map((args) => args[0]?.toLowerCase())).toEqual(["get", "set"]);
    } finally {
      commands.close();
    }
  });

  it("keeps both processes' feeds correct when their subscriptions are killed and a bump is missed", async () => {
    await feed(first);
    await feed(second);
    const name = `${runtime.config.QUEUE_PREFIX}:feedgen-subscriber`;
    const subscribers = async () =>
      String(await runtime.redis.client("LIST"))
        .split("\n")
        .filter((line) => line.includes(` name=${name} `))
        .map((line) => /\bid=(\d+)/.exec(line)?.[1] ?? "");
    const killed = await subscribers();
    expect(killed).toHaveLength(2);
    for (const id of killed) await runtime.redis.client("KILL", "ID", id);
    // Published while nobody is subscribed: the announcement is lost.
    await story("missed", "Noticia perdida");
    await invalidateFeeds(runtime.redis, runtime.config.QUEUE_PREFIX, "es");
    expect(await feed(first)).toContain("Noticia perdida");
    expect(await feed(second)).toContain("Noticia perdida");
    // Subscribed again, each process still serves what Redis says, and hears the next bump.
    await until(async () => {
      const now = await subscribers();
      return now.length === 2 && now.every((id) => !killed.includes(id));
    }, "both subscribers to reconnect");
    await until(() => first.feedGenerations.live && second.feedGenerations.live, "both subscriptions again");
    await story("heard", "Noticia oída");
    await invalidateFeeds(runtime.redis, runtime.config.QUEUE_PREFIX, "es");
    for (const app of [first, second]) {
      const body = await feed(app);
      expect(body).toContain("Noticia perdida");
      expect(body).toContain("Noticia oída");
    }
  });
});
