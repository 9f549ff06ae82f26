import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createPartner, createSource, createToken, type Db, upsertArticle } from "@babelwire/db";
import { publishTestTranslation, testArticle } from "@babelwire/db/testing";
import { openRuntime, type Runtime } from "@babelwire/runtime";
import { clearQueuePrefix, testConfig } from "@babelwire/runtime/testing";
import { announceFeedChange } from "@babelwire/syndicate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiApp, buildApp } from "../app.ts";

const API_MAIN = fileURLToPath(new URL("../main.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

interface Page {
  items: Array<{ uri: string; pubstatus: string; headlines: Array<{ value: string }> }>;
  nextCursor: string | null;
  hasMore: boolean;
}

let guids = 0;

async function newArticle(db: Db, sourceId: string): Promise<string> {
  return (await upsertArticle(db, sourceId, testArticle(`long-poll-${++guids}`))).id;
}

/** A counter or gauge of a Prometheus text page, 0 when absent. */
function metric(text: string, name: string, labels = ""): number {
  const line = text.split("\n").find((candidate) => candidate.startsWith(`${name}${labels} `));
  return line ? Number(line.split(" ")[1]) : 0;
}

describe("long-poll sync in one process", () => {
  let runtime: Runtime;
  let app: ApiApp;
  let token: string;
  let sourceId: string;

  beforeAll(async () => {
    runtime = await openRuntime(testConfig(), "long-poll-test");
    app = await buildApp(runtime);
    sourceId = (await createSource(runtime.db, { url: "https://example.org/long-poll/feed", targets: ["es"] })).id;
    const partner = await createPartner(runtime.db, { name: "Syncing outlet", languages: ["es", "ca"] });
    token = (await createToken(runtime.db, { role: "partner", partnerId: partner.id })).token;
  });

  afterAll(async () => {
    await app?.close();
    await clearQueuePrefix(runtime.redis, runtime.config.QUEUE_PREFIX);
    await runtime?.close();
  });

  const sync = (query: string) =>
    app.inject({ url: `/v1/articles?${query}`, headers: { authorization: `Bearer ${token}` } });

  it("returns the empty page with the cursor it was given when nothing changes within the wait", async () => {
    // Something to stand on: one Catalan item, read, so the reader holds a real cursor.
    await publishTestTranslation(runtime.db, await newArticle(runtime.db, sourceId), "ca", "Primer");
    await runtime.db
      .updateTable("translations")
      .set({ live_at: new Date(Date.now() - 60_000) })
      .execute();
    const first = (await sync("lang=ca")).json<Page>();
    expect(first.items).toHaveLength(1);
    const cursor = first.nextCursor ?? "";
    const response = await sync(`lang=ca&cursor=${encodeURIComponent(cursor)}&wait=1`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ items: [], nextCursor: cursor, hasMore: false });
    const metrics = await runtime.metrics.render();
    expect(metric(metrics, "babelwire_sync_waits_total", '{outcome="timeout"}')).toBe(1);
    expect(metric(metrics, "babelwire_sync_requests_waiting")).toBe(0);
  });

  it("answers at once, without waiting, when the page already has changes", async () => {
    const before = metric(await runtime.metrics.render(), "babelwire_sync_waits_total", '{outcome="immediate"}');
    const response = await sync("lang=ca&wait=30");
    expect(response.json<Page>().items.map((item) => item.headlines[0]?.value)).toEqual(["Primer"]);
    const after = metric(await runtime.metrics.render(), "babelwire_sync_waits_total", '{outcome="immediate"}');
    expect(after).toBe(before + 1);
  });

  it("refuses a wait over 30 seconds or below zero with 400 invalid_request naming the field", async () => {
    for (const wait of ["31", "-1", "soon"]) {
      const response = await sync(`lang=es&wait=${wait}`);
      expect(response.statusCode).toBe(400);
      expect(response.json().error).toMatchObject({ code: "invalid_request" });
      expect(response.json().error.message).toMatch(/wait/);
    }
  });

  it("answers a held request with what it has when the server closes, instead of holding the shutdown", async () => {
    const closing = await buildApp(runtime);
    const held = closing.inject({ url: "/v1/articles?lang=es&wait=30", headers: { authorization: `Bearer ${token}` } });
    const waiting = async () => metric(await runtime.metrics.render(), "babelwire_sync_requests_waiting");
    while ((await waiting()) < 1) await new Promise((resolve) => setTimeout(resolve, 20));
    await closing.close();
    const response = await held;
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ items: [], nextCursor: null, hasMore: false });
    expect(await waiting()).toBe(0);
  });
});

interface ApiProcess {
  child: ChildProcess;
  url: string;
}

/** `pnpm start:api` as a process of its own, on an ephemeral port read from its listen log line. */
async function startApi(dataDir: string, prefix: string): Promise<ApiProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, QUEUE_PREFIX: prefix, PORT: "0" };
  env.LOG_LEVEL = "info";
  env.LOG_FORMAT = "json";
  delete env.DATABASE_URL;
  delete env.ADMIN_TOKEN;
  const child = spawn(process.execPath, ["--import", "tsx", API_MAIN], { cwd: ROOT, env, stdio: "pipe" });
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    child.once("exit", (code) => reject(new Error(`the API exited with ${code}: ${output.slice(-2000)}`)));
  });
  return { child, url };
}

async function stopApi(api: ApiProcess | undefined): Promise<void> {
  if (!api || api.child.exitCode !== null) return;
  const exited = new Promise((resolve) => api.child.once("exit", resolve));
  api.child.kill("SIGTERM");
  await exited;
}

describe("long-poll sync across two API processes", () => {
  let runtime: Runtime;
  let first: ApiProcess | undefined;
  let second: ApiProcess | undefined;
  let partnerToken: string;
  let editorToken: string;
  let sourceId: string;

  beforeAll(async () => {
    // This process owns the embedded database and serves it on its socket; both APIs connect through it.
    runtime = await openRuntime(testConfig({ DATABASE_URL: "" }), "long-poll-processes");
    sourceId = (await createSource(runtime.db, { url: "https://example.org/wire/feed", targets: ["es"] })).id;
    const partner = await createPartner(runtime.db, { name: "Outlet", languages: ["es"], sources: [sourceId] });
    partnerToken = (await createToken(runtime.db, { role: "partner", partnerId: partner.id })).token;
    editorToken = (await createToken(runtime.db, { role: "editor" })).token;
    [first, second] = await Promise.all([
      startApi(runtime.config.DATA_DIR, runtime.config.QUEUE_PREFIX),
      startApi(runtime.config.DATA_DIR, runtime.config.QUEUE_PREFIX),
    ]);
    // Two processes starting tsx on a loaded 2-core machine can take longer than the default minute.
  }, 180_000);

  afterAll(async () => {
    await Promise.all([stopApi(first), stopApi(second)]);
    await clearQueuePrefix(runtime.redis, runtime.config.QUEUE_PREFIX);
    await runtime?.close();
  });

  const sync = (api: ApiProcess | undefined, query: string) =>
    fetch(`${api?.url}/v1/articles?lang=es&${query}`, { headers: { authorization: `Bearer ${partnerToken}` } });
  const metricsOf = async (api: ApiProcess | undefined) => (await fetch(`${api?.url}/metrics`)).text();
  async function heldOn(api: ApiProcess | undefined, count: number) {
    while (metric(await metricsOf(api), "babelwire_sync_requests_waiting") < count) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it("times out with an empty page on each process (and so has each listening before the next test)", async () => {
    for (const api of [first, second]) {
      const response = await sync(api, "wait=1");
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ items: [], nextCursor: null, hasMore: false });
      expect(metric(await metricsOf(api), "babelwire_sync_waits_total", '{outcome="timeout"}')).toBe(1);
    }
    // Past the rereads owed to the subscriptions both processes have just made (REREADS_MS).
    await new Promise((resolve) => setTimeout(resolve, 3_200));
  });

  it("wakes requests held by both processes when a publication is announced, long before their 30 s wait", async () => {
    const heldFirst = sync(first, "wait=30");
    const heldSecond = sync(second, "wait=30");
    await Promise.all([heldOn(first, 1), heldOn(second, 1)]);
    // What the publisher does: commit, then announce on the channel.
    await publishTestTranslation(runtime.db, await newArticle(runtime.db, sourceId), "es", "Noticia de última hora");
    expect(await announceFeedChange(runtime.redis, runtime.config.QUEUE_PREFIX, "es")).toBeGreaterThanOrEqual(2);
    for (const [api, held] of [
      [first, heldFirst],
      [second, heldSecond],
    ] as const) {
      const page = (await (await held).json()) as Page;
      expect(page.items.map((item) => item.headlines[0]?.value)).toEqual(["Noticia de última hora"]);
      expect(page.nextCursor).not.toBeNull();
      // Woken by the announcement, not by the deadline's last read.
      expect(metric(await metricsOf(api), "babelwire_sync_waits_total", '{outcome="changed"}')).toBe(1);
    }
  });

  it("wakes a request held by one process when an editor withdraws the item through the other", async () => {
    const start = (await (await sync(first, "")).json()) as Page;
    const cursor = encodeURIComponent(start.nextCursor ?? "");
    await new Promise((resolve) => setTimeout(resolve, 2_200));
    const held = sync(first, `cursor=${cursor}&wait=30`);
    await heldOn(first, 1);
    const articleId = start.items[0]?.uri ? await articleOf(runtime.db, start.items[0].uri) : "";
    const withdrawn = await fetch(`${second?.url}/v1/articles/${articleId}/withdraw`, {
      method: "POST",
      headers: { authorization: `Bearer ${editorToken}`, "content-type": "application/json" },
      body: JSON.stringify({ reason: "legal" }),
    });
    expect(withdrawn.status).toBe(200);
    const page = (await (await held).json()) as Page;
    expect(page.items.map((item) => item.pubstatus)).toEqual(["canceled"]);
    expect(metric(await metricsOf(first), "babelwire_sync_waits_total", '{outcome="changed"}')).toBe(2);
  });
});

/** The article of a ninjs item, from its `urn:babelwire:<translation>` uri. */
async function articleOf(db: Db, uri: string): Promise<string> {
  const row = await db
    .selectFrom("translations")
    .select("article_id")
    .where("id", "=", uri.replace("urn:babelwire:", ""))
    .executeTakeFirstOrThrow();
  return row.article_id;
}
