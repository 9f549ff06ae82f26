import { createPartner, createSource, createToken } from "@babelwire/db";
import type { Runtime } from "@babelwire/runtime";
import { testConfig } from "@babelwire/runtime/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiApp } from "../../app.ts";
import { openTestApp, type TestApp } from "../../testing/test-app.ts";

let testApp: TestApp;
let runtime: Runtime;
let app: ApiApp;
let base: string;
let partnerToken: string;
let guardedToken: string;
let adminToken: string;
let sourceId: string;
let otherSource: string;

beforeAll(async () => {
  testApp = await openTestApp("websub-hub-route-test", testConfig({ PUBLIC_BASE_URL: "https://wire.example.net" }));
  ({ runtime, app } = testApp);
  base = runtime.config.PUBLIC_BASE_URL;
  sourceId = (await createSource(runtime.db, { url: "https://example.org/hub/feed", targets: ["es"] })).id;
  otherSource = (await createSource(runtime.db, { url: "https://example.org/hub-other/feed", targets: ["es"] })).id;
  const trusted = await createPartner(runtime.db, {
    name: "Own network",
    languages: ["es"],
    sources: [sourceId],
    allowPrivateWebhook: true,
  });
  const guarded = await createPartner(runtime.db, { name: "Outlet", languages: ["es"], sources: [sourceId] });
  partnerToken = (await createToken(runtime.db, { role: "partner", partnerId: trusted.id })).token;
  guardedToken = (await createToken(runtime.db, { role: "partner", partnerId: guarded.id })).token;
  adminToken = (await createToken(runtime.db, { role: "admin" })).token;
});

afterAll(() => testApp?.close());

function hub(fields: Record<string, string>) {
  return app.inject({
    method: "POST",
    url: "/websub/hub",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    payload: new URLSearchParams(fields).toString(),
  });
}

const topic = (token: string, query = "") => `${base}/v1/feeds/es.atom?token=${token}${query}`;

describe("POST /websub/hub", () => {
  it("answers 202, records a pending subscription under the topic's token and queues its verification", async () => {
    const response = await hub({
      "hub.mode": "subscribe",
      "hub.topic": topic(partnerToken, `&source=${sourceId}&limit=20`),
      "hub.callback": "http://127.0.0.1:9/callback/one",
      "hub.secret": "s3cret",
      "hub.lease_seconds": "99999999",
    });
    expect(response.statusCode).toBe(202);
    const row = await runtime.db
      .selectFrom("websub_subscriptions")
      .selectAll()
      .where("callback", "=", "http://127.0.0.1:9/callback/one")
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      state: "pending",
      lang: "es",
      format: "atom",
      source_filter: sourceId,
      item_limit: 20,
      intent_mode: "subscribe",
      intent_secret: "s3cret",
      // Capped at 30 days: never perpetual.
      intent_lease_seconds: 2_592_000,
      secret: null,
    });
    const deliver = runtime.queues.dashboardQueues().find((queue) => queue.name === "deliver");
    const waiting = (await deliver?.getWaiting(0, 50)) ?? [];
    expect(waiting.map((job) => job.data)).toContainEqual({ deliveryId: row.intent_id, websub: "verify" });
  });

  it("grants WebSub's default lease of 10 days when none is asked", async () => {
    await hub({ "hub.mode": "subscribe", "hub.topic": topic(partnerToken), "hub.callback": "http://127.0.0.1:9/two" });
    const row = await runtime.db
      .selectFrom("websub_subscriptions")
      .select("intent_lease_seconds")
      .where("callback", "=", "http://127.0.0.1:9/two")
      .executeTakeFirstOrThrow();
    expect(row.intent_lease_seconds).toBe(864_000);
  });

  it("refuses bad requests with 400 and the field, and a foreign or token-less topic (websub.rocks hub 100's required parameters)", async () => {
    const good = {
      "hub.mode": "subscribe",
      "hub.topic": topic(partnerToken),
      "hub.callback": "https://outlet.example/cb",
    };
    const cases: Array<[Record<string, string>, string]> = [
      [{ ...good, "hub.mode": "publish" }, "hub.mode"],
      [{ ...good, "hub.callback": "ftp://outlet.example/cb" }, "hub.callback"],
      [{ ...good, "hub.callback": "not a url" }, "hub.callback"],
      [{ ...good, "hub.topic": `https://elsewhere.example/v1/feeds/es.rss?token=${partnerToken}` }, "hub.topic"],
      [{ ...good, "hub.topic": `${base}/v1/articles?lang=es&token=${partnerToken}` }, "hub.topic"],
      [{ ...good, "hub.topic": `${base}/v1/feeds/es.rss` }, "hub.topic"],
      [{ ...good, "hub.topic": topic(partnerToken, "&limit=500") }, "hub.topic"],
      [{ ...good, "hub.secret": "x".repeat(200) }, "hub.secret"],
      [{ ...good, "hub.lease_seconds": "soon" }, "hub.lease_seconds"],
    ];
    for (const [fields, field] of cases) {
      const response = await hub(fields);
      expect(response.statusCode, JSON.stringify(fields)).toBe(400);
      expect(response.json().error).toMatchObject({ code: "invalid_request", field });
    }
    const { "hub.callback": _omitted, ...missing } = good;
    expect((await hub(missing)).statusCode).toBe(400);
  });

  it("answers 401 for an unknown token and 403 for a language or source outside the token's licence", async () => {
    const callback = "https://outlet.example/cb";
    const unknown = await hub({ "hub.mode": "subscribe", "hub.topic": topic("bw_nope"), "hub.callback": callback });
    expect(unknown.statusCode).toBe(401);
    const catalan = await hub({
      "hub.mode": "subscribe",
      "hub.topic": `${base}/v1/feeds/ca.rss?token=${partnerToken}`,
      "hub.callback": callback,
    });
    expect(catalan.statusCode).toBe(403);
    expect(catalan.json().error.code).toBe("not_entitled");
    const source = await hub({
      "hub.mode": "subscribe",
      "hub.topic": topic(partnerToken, `&source=${otherSource}`),
      "hub.callback": callback,
    });
    expect(source.statusCode).toBe(403);
  });

  it("refuses a callback on a private address unless the token's partner may have private webhooks (SSRF)", async () => {
    const refused = await hub({
      "hub.mode": "subscribe",
      "hub.topic": topic(guardedToken),
      "hub.callback": "http://10.0.0.8/cb",
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error).toMatchObject({ code: "blocked_address", field: "hub.callback" });
    const allowed = await hub({
      "hub.mode": "subscribe",
      "hub.topic": topic(partnerToken),
      "hub.callback": "http://10.0.0.8/cb",
    });
    expect(allowed.statusCode).toBe(202);
  });

  it("lists subscriptions to operators with the topic's token redacted, and each one's delivery log", async () => {
    const response = await app.inject({
      url: "/v1/websub/subscriptions",
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(response.statusCode).toBe(200);
    const items = response.json().items as Array<{ id: string; topic: string; state: string; callback: string }>;
    expect(items.length).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(items)).not.toContain(partnerToken);
    expect(items.find((item) => item.callback === "http://127.0.0.1:9/callback/one")).toMatchObject({
      state: "pending",
      topic: `${base}/v1/feeds/es.atom?token=redacted&source=${sourceId}&limit=20`,
    });
    const log = await app.inject({
      url: `/v1/websub/subscriptions/${items[0]?.id}/deliveries`,
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(log.json()).toEqual({ items: [] });
    const partnerView = await app.inject({
      url: "/v1/websub/subscriptions",
      headers: { authorization: `Bearer ${partnerToken}` },
    });
    expect(partnerView.statusCode).toBe(403);
  });
});

describe("hub discovery on partner feeds", () => {
  it("sends Link rel=hub and rel=self (the URL as asked, token included) on all three formats", async () => {
    for (const format of ["rss", "atom", "json"]) {
      const url = `/v1/feeds/es.${format}?token=${partnerToken}`;
      const response = await app.inject({ url });
      expect(response.statusCode).toBe(200);
      expect(response.headers.link).toBe(`<${base}/websub/hub>; rel="hub", <${base}${url}>; rel="self"`);
    }
  });

  it("advertises the hub inside the feeds: atom:link in RSS, link in Atom, hubs in JSON Feed", async () => {
    const read = async (format: string) =>
      (await app.inject({ url: `/v1/feeds/es.${format}?token=${partnerToken}` })).body;
    expect(await read("rss")).toContain(`<atom:link href="${base}/websub/hub" rel="hub"/>`);
    expect(await read("atom")).toContain(`<link rel="hub" href="${base}/websub/hub"/>`);
    expect(JSON.parse(await read("json")).hubs).toEqual([{ type: "WebSub", url: `${base}/websub/hub` }]);
  });
});
