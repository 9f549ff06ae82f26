import { createHmac } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import {
  createPartner,
  createSource,
  createToken,
  type Db,
  requestWebSubIntent,
  type WebSubSubscriptionRow,
  withdrawArticle,
} from "@babelwire/db";
import type { Runtime } from "@babelwire/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publishTranslation } from "../publish-translation.ts";
import { approvedTranslation, type DeliveryTestbed, openDeliveryTestbed } from "../testing/delivery-testbed.ts";
import { verifyWebSubIntent } from "./hub-jobs.ts";

/**
 * The hub side of WebSub, against a subscriber on loopback and the real BullMQ schedule. The
 * websub.rocks hub cases each test covers are named in it: 100 (typical subscriber request),
 * 101 (subscriber includes a secret), 103 (re-subscribes before expiry), 104 (unsubscribe).
 */

interface Received {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

let runtime: Runtime;
let testbed: DeliveryTestbed;
let base: string;
const received: Received[] = [];
/** Per callback path: how its verification GET answers, and the statuses its POSTs get in turn. */
const behaviour = new Map<string, { verify?: "echo" | "wrong" | "404"; posts?: number[] }>();

beforeAll(async () => {
  testbed = await openDeliveryTestbed("websub-hub-test", (request, body, response) => {
    const url = new URL(request.url ?? "/", "http://subscriber");
    received.push({
      method: request.method ?? "",
      path: url.pathname,
      query: url.searchParams,
      headers: request.headers,
      body,
    });
    const rule = behaviour.get(url.pathname) ?? {};
    if (request.method === "GET") {
      if (rule.verify === "404") return response.writeHead(404).end("no such subscription");
      const challenge = url.searchParams.get("hub.challenge") ?? "";
      return response.writeHead(200).end(rule.verify === "wrong" ? `${challenge}x` : challenge);
    }
    response.writeHead(rule.posts?.shift() ?? 204).end();
  });
  ({ runtime, base } = testbed);
});

afterAll(() => testbed?.close());

const FIRST_ATTEMPT = { id: "t", attempt: 1, maxAttempts: 32 };

async function newSource(name: string): Promise<string> {
  return (await createSource(runtime.db, { url: `https://example.org/${name}/feed`, targets: ["es"] })).id;
}

/** A partner licensed for the source (or others), with a token, as POST /websub/hub would have checked. */
async function partnerToken(name: string, sources: string[], allowPrivate = true) {
  const partner = await createPartner(runtime.db, {
    name,
    languages: ["es"],
    sources,
    allowPrivateWebhook: allowPrivate,
  });
  const { token, row } = await createToken(runtime.db, { role: "partner", partnerId: partner.id });
  return { partner, token, tokenId: row.id };
}

/** What the API's hub route records for a subscribe request, and the intent id it queues. */
async function subscribe(
  name: string,
  holder: { token: string; tokenId: string },
  options: { secret?: string; callbackHost?: string; mode?: "subscribe" | "unsubscribe"; lease?: number } = {},
) {
  const callback = new URL(`${base}/cb/${name}`);
  if (options.callbackHost) callback.hostname = options.callbackHost;
  return requestWebSubIntent(runtime.db, {
    callback: callback.href,
    topic: `http://127.0.0.1:3000/v1/feeds/es.rss?token=${holder.token}`,
    lang: "es",
    format: "rss",
    sourceFilter: null,
    category: null,
    itemLimit: 50,
    tokenId: holder.tokenId,
    mode: options.mode ?? "subscribe",
    secret: options.secret ?? null,
    leaseSeconds: options.lease ?? 864_000,
  });
}

async function subscription(intentId: string): Promise<WebSubSubscriptionRow | undefined> {
  return runtime.db.selectFrom("websub_subscriptions").selectAll().where("intent_id", "=", intentId).executeTakeFirst();
}

/** A new article's Spanish translation, published as `title`. */
async function publishArticle(db: Db, sourceId: string, guid: string, title: string) {
  const { articleId, translationId } = await approvedTranslation(db, sourceId, guid, title);
  await publishTranslation(runtime, { translationId });
  return { articleId, translationId };
}

const postsTo = (name: string) =>
  received.filter((request) => request.method === "POST" && request.path === `/cb/${name}`);
const getsTo = (name: string) =>
  received.filter((request) => request.method === "GET" && request.path === `/cb/${name}`);

async function until<T>(probe: () => Promise<T | undefined> | T | undefined, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function deliveriesOf(subscriptionId: string) {
  return runtime.db
    .selectFrom("websub_deliveries")
    .selectAll()
    .where("subscription_id", "=", subscriptionId)
    .orderBy("created_at")
    .execute();
}

async function settledDeliveries(subscriptionId: string, count: number) {
  return until(async () => {
    const rows = await deliveriesOf(subscriptionId);
    return rows.length >= count && rows.every((row) => row.status !== "pending") ? rows : undefined;
  }, "deliveries to settle");
}

describe("verification of intent", () => {
  it("activates a subscription when the callback echoes hub.challenge, with the lease it was granted (websub.rocks hub 100: typical subscriber request)", async () => {
    const holder = await partnerToken("verify", [await newSource("verify")]);
    const intentId = await subscribe("verify", holder, { lease: 3600 });
    expect(await verifyWebSubIntent(runtime, intentId, FIRST_ATTEMPT)).toEqual({
      outcome: "verified",
      mode: "subscribe",
    });
    const [get] = getsTo("verify");
    expect(get?.query.get("hub.mode")).toBe("subscribe");
    expect(get?.query.get("hub.topic")).toBe(`http://127.0.0.1:3000/v1/feeds/es.rss?token=${holder.token}`);
    expect(get?.query.get("hub.lease_seconds")).toBe("3600");
    expect(get?.query.get("hub.challenge")?.length).toBeGreaterThanOrEqual(32);
    const row = await subscription(intentId);
    expect(row).toMatchObject({ state: "active", lease_seconds: 3600, last_error: null });
    const leaseMs = (row?.expires_at?.getTime() ?? 0) - (row?.verified_at?.getTime() ?? 0);
    expect(leaseMs).toBe(3_600_000);
  });

  it("denies a subscription whose callback answers 404 or echoes something else (WebSub §5.3: no websub.rocks case)", async () => {
    const holder = await partnerToken("refuse", [await newSource("refuse")]);
    behaviour.set("/cb/refuse-404", { verify: "404" });
    behaviour.set("/cb/refuse-wrong", { verify: "wrong" });
    for (const name of ["refuse-404", "refuse-wrong"]) {
      const intentId = await subscribe(name, holder);
      expect(await verifyWebSubIntent(runtime, intentId, FIRST_ATTEMPT)).toMatchObject({ outcome: "refused" });
      const row = await subscription(intentId);
      expect(row?.state).toBe("denied");
      expect(row?.last_error).toMatch(/^WEBSUB_NOT_CONFIRMED: The callback answered (404 without|200 without)/);
    }
  });

  it("keeps a live subscription live when a renewal is refused, and ends it when an unsubscription is confirmed (websub.rocks hub 103, 104)", async () => {
    const holder = await partnerToken("renew", [await newSource("renew")]);
    const first = await subscribe("renew", holder);
    await verifyWebSubIntent(runtime, first, FIRST_ATTEMPT);
    behaviour.set("/cb/renew", { verify: "404" });
    const renewal = await subscribe("renew", holder);
    await verifyWebSubIntent(runtime, renewal, FIRST_ATTEMPT);
    expect((await subscription(renewal))?.state).toBe("active");
    // The earlier request's verification, run late, is moot: a newer one replaced it.
    expect(await verifyWebSubIntent(runtime, first, FIRST_ATTEMPT)).toMatchObject({ outcome: "skipped" });
    behaviour.set("/cb/renew", { verify: "echo" });
    const leave = await subscribe("renew", holder, { mode: "unsubscribe" });
    expect(await verifyWebSubIntent(runtime, leave, FIRST_ATTEMPT)).toEqual({
      outcome: "verified",
      mode: "unsubscribe",
    });
    expect(getsTo("renew").at(-1)?.query.get("hub.mode")).toBe("unsubscribe");
    expect(getsTo("renew").at(-1)?.query.has("hub.lease_seconds")).toBe(false);
    expect((await subscription(leave))?.state).toBe("ended");
  });

  it("refuses to verify a callback on a private address unless the topic's partner may have private webhooks (SSRF)", async () => {
    const guarded = await partnerToken("ssrf", [await newSource("ssrf")], false);
    const literal = await subscribe("ssrf", guarded);
    const named = await subscribe("ssrf-name", guarded, { callbackHost: "localhost" });
    for (const intentId of [literal, named]) {
      expect(await verifyWebSubIntent(runtime, intentId, FIRST_ATTEMPT)).toMatchObject({ outcome: "refused" });
      const row = await subscription(intentId);
      expect(row?.state).toBe("denied");
      expect(row?.last_error).toMatch(/^WEBHOOK_BLOCKED_ADDRESS: /);
    }
    expect(getsTo("ssrf")).toEqual([]);
    expect(getsTo("ssrf-name")).toEqual([]);
  });
});

describe("content distribution", () => {
  it("POSTs the feed's new content with its type, Link headers and X-Hub-Signature over the body (websub.rocks hub 101: subscriber includes a secret)", async () => {
    const sourceId = await newSource("signed");
    const holder = await partnerToken("signed", [sourceId]);
    const intentId = await subscribe("signed", holder, { secret: "a subscriber's secret" });
    await verifyWebSubIntent(runtime, intentId, FIRST_ATTEMPT);
    await publishArticle(runtime.db, sourceId, "signed-1", "Titular empujado");
    const id = (await subscription(intentId))?.id ?? "";
    const [delivery] = await settledDeliveries(id, 1);
    expect(delivery).toMatchObject({ status: "delivered", event: "published", attempts: 1, last_status: 204 });
    const [post] = postsTo("signed");
    expect(post?.headers["content-type"]).toBe("application/rss+xml; charset=utf-8");
    expect(post?.headers.link).toBe(
      `<${runtime.config.PUBLIC_BASE_URL}/websub/hub>; rel="hub", <http://127.0.0.1:3000/v1/feeds/es.rss?token=${holder.token}>; rel="self"`,
    );
    const expected = createHmac("sha256", "a subscriber's secret")
      .update(post?.body ?? "")
      .digest("hex");
    expect(post?.headers["x-hub-signature"]).toBe(`sha256=${expected}`);
    const xml = post?.body.toString("utf8") ?? "";
    expect(xml).toContain("<title>Titular empujado</title>");
    expect(xml).toContain(`<atom:link href="${runtime.config.PUBLIC_BASE_URL}/websub/hub" rel="hub"/>`);
  });

  it("sends no signature without a secret, and pushes again on a withdrawal with the item gone", async () => {
    const sourceId = await newSource("unsigned");
    const holder = await partnerToken("unsigned", [sourceId]);
    const intentId = await subscribe("unsigned", holder);
    await verifyWebSubIntent(runtime, intentId, FIRST_ATTEMPT);
    const { articleId, translationId } = await publishArticle(runtime.db, sourceId, "unsigned-1", "Antes");
    const id = (await subscription(intentId))?.id ?? "";
    await settledDeliveries(id, 1);
    await withdrawArticle(runtime.db, articleId, { actor: "token:editor", reason: "legal" });
    await publishTranslation(runtime, { translationId });
    const rows = await settledDeliveries(id, 2);
    expect(rows.map((row) => row.event)).toEqual(["published", "withdrawn"]);
    const [first, second] = postsTo("unsigned");
    expect(first?.headers["x-hub-signature"]).toBeUndefined();
    expect(first?.body.toString()).toContain("<title>Antes</title>");
    expect(second?.body.toString()).not.toContain("<title>Antes</title>");
  });

  it("retries a failing callback and ends the subscription when it answers 410 Gone", async () => {
    const sourceId = await newSource("gone");
    const holder = await partnerToken("gone", [sourceId]);
    behaviour.set("/cb/gone", { posts: [503, 410] });
    const intentId = await subscribe("gone", holder);
    await verifyWebSubIntent(runtime, intentId, FIRST_ATTEMPT);
    await publishArticle(runtime.db, sourceId, "gone-1", "Uno");
    const id = (await subscription(intentId))?.id ?? "";
    const [delivery] = await settledDeliveries(id, 1);
    expect(delivery).toMatchObject({ status: "failed", attempts: 2, last_status: 410 });
    expect(delivery?.last_error).toMatch(/^WEBSUB_GONE/);
    expect((await subscription(intentId))?.state).toBe("ended");
    await publishArticle(runtime.db, sourceId, "gone-2", "Dos");
    expect(await deliveriesOf(id)).toHaveLength(1);
    expect(postsTo("gone")).toHaveLength(2);
  });

  it("pushes only items the topic's token licenses, and nothing once the token is revoked", async () => {
    const licensed = await newSource("licensed");
    const other = await newSource("unlicensed");
    const holder = await partnerToken("licence", [licensed]);
    const intentId = await subscribe("licence", holder);
    await verifyWebSubIntent(runtime, intentId, FIRST_ATTEMPT);
    const id = (await subscription(intentId))?.id ?? "";
    await publishArticle(runtime.db, other, "licence-other", "Ajeno");
    await publishArticle(runtime.db, licensed, "licence-own", "Propio");
    const [delivery] = await settledDeliveries(id, 1);
    expect(delivery?.status).toBe("delivered");
    expect(await deliveriesOf(id)).toHaveLength(1);
    const xml = postsTo("licence")[0]?.body.toString() ?? "";
    expect(xml).toContain("<title>Propio</title>");
    expect(xml).not.toContain("Ajeno");
    await runtime.db.updateTable("tokens").set({ revoked_at: new Date() }).where("id", "=", holder.tokenId).execute();
    await publishArticle(runtime.db, licensed, "licence-after", "Después");
    expect(await deliveriesOf(id)).toHaveLength(1);
    expect(postsTo("licence")).toHaveLength(1);
    expect(await subscription(intentId)).toMatchObject({ state: "ended" });
    expect((await subscription(intentId))?.last_error).toMatch(/^WEBSUB_TOKEN_REVOKED/);
  });

  it("stops pushing when the lease has run out without renewal, and a late job finds the subscription ended", async () => {
    const sourceId = await newSource("lease");
    const holder = await partnerToken("lease", [sourceId]);
    const intentId = await subscribe("lease", holder);
    await verifyWebSubIntent(runtime, intentId, FIRST_ATTEMPT);
    const id = (await subscription(intentId))?.id ?? "";
    await runtime.db
      .updateTable("websub_subscriptions")
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where("id", "=", id)
      .execute();
    await publishArticle(runtime.db, sourceId, "lease-1", "Caducado");
    expect(await deliveriesOf(id)).toEqual([]);
    expect(postsTo("lease")).toEqual([]);
  });
});
