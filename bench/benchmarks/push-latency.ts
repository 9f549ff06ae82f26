import { createHmac } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { startSystem } from "@babelwire/cli/start-system";
import { testConfig } from "@babelwire/runtime/testing";
import { adminApi } from "../fixtures/admin-api.ts";
import { apertiumSeconds, spentPerStage, stopSystem } from "../fixtures/latency-system.ts";
import { type NewsItem, newsItem, rssOf } from "../fixtures/news-items.ts";
import { until } from "../fixtures/until.ts";
import { type Benchmark, type Goal, median } from "../harness.ts";
import { percentile } from "./latency.ts";

/** 20 items a round (docs/benchmarks.md); BENCH_LATENCY_ITEMS makes a quicker run for a look. */
const ITEMS = Number(process.env.BENCH_LATENCY_ITEMS ?? 20);
const MARGIN_SECONDS = 1;
const WAITING = { timeoutMs: 60_000, everyMs: 5 };
const FEED_WINDOW = 20;
const goal: Goal = { of: "excess", op: "<=", target: MARGIN_SECONDS };

async function listen(server: Server, port = 0): Promise<string> {
  await new Promise<void>((done) => server.listen(port, "127.0.0.1", done));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function text(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

interface Subscription {
  callback: string;
  secret: string;
}

/**
 * Seconds from a local WebSub hub pushing a new item to Babelwire until (a) Babelwire's own hub
 * has delivered the Spanish feed holding it to a local subscriber and (b) a partner's long-poll
 * sync (`GET /v1/articles?wait=30`) has returned it. One all-in-one process (startSystem) with
 * the apertium command; items one at a time. Value: the round's p95 of the slower path, so the
 * goal holds for both; each path's p50 and p95 are in the notes. Baseline: p95 of one
 * `apertium -u -f html eng-spa` call per item, as in `latency`.
 */
export const pushLatency: Benchmark = {
  name: "push-latency",
  unit: "s (p95)",
  goal,
  rounds: 3,
  warmup: false,
  async setup() {
    const items: NewsItem[] = [];
    let agencyBase = "";
    let hubUrl = "";
    let agencySubscription: Subscription | undefined;
    const agencyFeed = createServer((_request, response) => {
      response
        .writeHead(200, {
          "content-type": "application/rss+xml; charset=utf-8",
          link: `<${hubUrl}>; rel="hub", <${agencyBase}/feed.xml>; rel="self"`,
        })
        .end(rssOf("Push wire", agencyBase, items.slice(-FEED_WINDOW)));
    });
    agencyBase = await listen(agencyFeed);
    const agencyHub = createServer(async (request, response) => {
      const form = new URLSearchParams(await text(request));
      response.writeHead(202).end();
      const callback = form.get("hub.callback") ?? "";
      const check = new URL(callback);
      check.search = new URLSearchParams({
        "hub.mode": "subscribe",
        "hub.topic": form.get("hub.topic") ?? "",
        "hub.challenge": "bench",
        "hub.lease_seconds": "86400",
      }).toString();
      const answer = await fetch(check);
      if (answer.ok && (await answer.text()) === "bench") {
        agencySubscription = { callback, secret: form.get("hub.secret") ?? "" };
      }
    });
    hubUrl = `${await listen(agencyHub)}/hub`;
    /** The partner's WebSub subscriber: pushes by arrival time. */
    const partnerPushes: Array<{ body: string; at: number }> = [];
    const partner = createServer(async (request, response) => {
      const url = new URL(request.url ?? "/", "http://partner");
      if (request.method === "GET") return response.writeHead(200).end(url.searchParams.get("hub.challenge") ?? "");
      partnerPushes.push({ body: await text(request), at: performance.now() });
      response.writeHead(204).end();
    });
    const partnerUrl = `${await listen(partner)}/websub`;

    // PUBLIC_BASE_URL must be the API's own address before it listens: a port handed out just now.
    const probe = createServer();
    const port = Number(new URL(await listen(probe)).port);
    await new Promise((done) => probe.close(done));
    const config = testConfig({
      TARGET_LANGUAGES: "es",
      LOG_LEVEL: "silent",
      PARTNER_RATE_LIMIT: "1000000/min",
      PORT: String(port),
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    });
    const system = await startSystem(config);
    const api = adminApi(system.url, system.adminToken ?? "", "push-latency");
    const desk = await api("/v1/partners", { name: "Push desk", languages: ["es"], allowPrivateWebhook: true });
    const { token } = (await api("/v1/tokens", { role: "partner", partnerId: desk.id })) as { token: string };
    const subscribe = await fetch(`${system.url}/websub/hub`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        "hub.mode": "subscribe",
        "hub.topic": `${system.url}/v1/feeds/es.rss?token=${token}&limit=100`,
        "hub.callback": partnerUrl,
        "hub.secret": "bench-secret",
      }),
    });
    if (subscribe.status !== 202) throw new Error(`push-latency: the hub answered ${subscribe.status}`);
    await api("/v1/sources", {
      url: `${agencyBase}/feed.xml`,
      name: "Push wire",
      language: "en",
      targets: ["es"],
      review: "auto",
      fullText: "never",
      interval: "1h",
    });
    await until(async () => agencySubscription !== undefined, "the agency hub's subscription", WAITING);
    const subscribed = agencySubscription as Subscription;

    /** The partner's long-poll sync, kept at its cursor across items. */
    let cursor = "";
    const syncUntil = async (item: NewsItem): Promise<number> => {
      for (;;) {
        const query = `lang=es&wait=30${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
        const response = await fetch(`${system.url}/v1/articles?${query}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        const page = (await response.json()) as {
          items: Array<{ altids?: Array<{ value: string }> }>;
          nextCursor: string;
        };
        cursor = page.nextCursor ?? cursor;
        if (page.items.some((found) => found.altids?.some((altid) => altid.value === item.link)))
          return performance.now();
      }
    };
    /** Where an item's time went on the hub path, ms per stage, from the rows' own timestamps. */
    const STAGES = ["stored", "translating", "in_review", "published", "delivery queued", "delivered"] as const;
    const spentAll: Array<Record<(typeof STAGES)[number], number>> = [];
    const stagesOf = async (item: NewsItem, pushedAt: number) => {
      const db = system.runtime.db;
      const article = await db
        .selectFrom("articles")
        .select(["id", "first_seen_at"])
        .where("guid", "=", item.guid)
        .executeTakeFirstOrThrow();
      const translation = await db
        .selectFrom("translations")
        .select("id")
        .where("article_id", "=", article.id)
        .where("lang", "=", "es")
        .executeTakeFirstOrThrow();
      const events = await db
        .selectFrom("translation_events")
        .select(["to_status", "at"])
        .where("translation_id", "=", translation.id)
        .execute();
      const delivery = await db
        .selectFrom("websub_deliveries")
        .select(["created_at", "delivered_at"])
        .where("translation_id", "=", translation.id)
        .executeTakeFirst();
      const at = (status: string) => new Date(events.find((event) => event.to_status === status)?.at ?? 0).getTime();
      spentAll.push(
        spentPerStage(pushedAt, [
          ["stored", new Date(article.first_seen_at).getTime()],
          ["translating", at("translating")],
          ["in_review", at("in_review")],
          ["published", at("published")],
          ["delivery queued", delivery?.created_at.getTime() ?? 0],
          ["delivered", delivery?.delivered_at?.getTime() ?? 0],
        ]),
      );
    };
    /** One item: the agency's hub pushes the feed holding it, signed; both partner paths are timed. */
    const measureItem = async (item: NewsItem): Promise<{ hub: number; sync: number }> => {
      items.push(item);
      const body = rssOf("Push wire", agencyBase, items.slice(-FEED_WINDOW));
      const signature = createHmac("sha256", subscribed.secret).update(body).digest("hex");
      const synced = syncUntil(item);
      const started = performance.now();
      const pushedAt = Date.now();
      const response = await fetch(subscribed.callback, {
        method: "POST",
        headers: { "content-type": "application/rss+xml; charset=utf-8", "x-hub-signature": `sha256=${signature}` },
        body,
      });
      if (response.status !== 202) throw new Error(`push-latency: the callback answered ${response.status}`);
      let delivered = 0;
      await until(
        async () => {
          delivered = partnerPushes.find((push) => push.at >= started && push.body.includes(item.link))?.at ?? 0;
          return delivered > 0;
        },
        `${item.guid} pushed to the partner`,
        WAITING,
      );
      const syncedAt = await synced;
      await stagesOf(item, pushedAt);
      return { hub: (delivered - started) / 1000, sync: (syncedAt - started) / 1000 };
    };

    const dir = await mkdtemp(path.join(tmpdir(), "babelwire-push-latency-"));
    const itemsOfRound = (round: number, at: Date) =>
      Array.from({ length: ITEMS }, (_, index) => newsItem(round * 1000 + index + 1, agencyBase, at, "push"));
    // Two unrecorded items, as in `latency`: page cache, JIT, the first renders.
    for (const item of itemsOfRound(0, new Date()).slice(0, 2)) await measureItem(item);
    spentAll.length = 0;
    const hubFigures: string[] = [];
    const syncFigures: string[] = [];
    const baselineP50s: string[] = [];
    let oursRound = 0;
    let baselineRound = 0;
    const notes = [
      `${ITEMS} items a round, one at a time, each pushed (the whole feed, signed sha256) by a local WebSub hub to Babelwire's callback; one source (review auto, full text never, targets [es]) whose polls are left to their 1 h interval; all-in-one process (startSystem), apertium command, PGlite in memory`,
      "ours: p95 of the slower of two paths, from the push: (hub) Babelwire's WebSub hub delivers the Spanish es.rss holding the item to a local subscriber; (sync) a partner's long-poll GET /v1/articles?wait=30 returns it",
      "baseline: one `apertium -u -f html eng-spa` call on each of the same items' HTML, the round's p95",
    ];
    return {
      notes,
      async ours() {
        oursRound++;
        const hub: number[] = [];
        const sync: number[] = [];
        for (const item of itemsOfRound(oursRound, new Date())) {
          const times = await measureItem(item);
          hub.push(times.hub);
          sync.push(times.sync);
        }
        const figure = (values: number[]) =>
          `p50 ${percentile(values, 50).toFixed(2)} p95 ${percentile(values, 95).toFixed(2)}`;
        hubFigures.push(figure(hub));
        syncFigures.push(figure(sync));
        return Math.max(percentile(hub, 95), percentile(sync, 95));
      },
      async baseline() {
        baselineRound++;
        const times = await apertiumSeconds(dir, itemsOfRound(baselineRound, new Date()));
        baselineP50s.push(percentile(times, 50).toFixed(2));
        return percentile(times, 95);
      },
      async close() {
        await stopSystem(system, config);
        for (const server of [agencyFeed, agencyHub, partner]) {
          server.closeAllConnections();
          server.close();
        }
        await rm(dir, { recursive: true, force: true });
        notes.push(`hub delivery by round (s): ${hubFigures.join("; ")}`);
        notes.push(`long-poll sync by round (s): ${syncFigures.join("; ")}`);
        notes.push(`Apertium p50 by round: ${baselineP50s.join(", ")} s`);
        if (spentAll.length > 0) {
          const where = STAGES.map(
            (stage) => `${stage} ${(median(spentAll.map((spent) => spent[stage])) / 1000).toFixed(3)}`,
          );
          notes.push(`hub path, median s from the instant before (the first from the push) to: ${where.join("; ")}`);
        }
      },
    };
  },
};
