import type { IncomingHttpHeaders } from "node:http";
import {
  createPartner,
  createSource,
  type DeliveryRow,
  listDeliveries,
  type PartnerRow,
  transitionTranslation,
  withdrawArticle,
} from "@babelwire/db";
import type { Runtime } from "@babelwire/runtime";
import { verifyWebhookSignature } from "@babelwire/syndicate";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publisherService } from "../handlers.ts";
import { publishTranslation } from "../publish-translation.ts";
import {
  approvedTranslation,
  type DeliveryTestbed,
  machineTranslate,
  openDeliveryTestbed,
} from "../testing/delivery-testbed.ts";
import { deliverWebhook, WEBHOOK_TIMEOUT_MS } from "./deliver-webhook.ts";

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  /** The bytes as they came, before any parsing: what the signature covers. */
  raw: Buffer;
  answered: number;
}

let runtime: Runtime;
let testbed: DeliveryTestbed;
let base: string;
const received: Received[] = [];
/** Per path, the statuses to answer in turn; 200 once they run out. */
const script = new Map<string, number[]>();

beforeAll(async () => {
  testbed = await openDeliveryTestbed("deliver-test", (request, raw, response) => {
    const path = request.url ?? "";
    const answered = script.get(path)?.shift() ?? 200;
    if (answered === 0) return; // never answers: the sender's deadline must end it
    received.push({ path, headers: request.headers, raw, answered });
    response.writeHead(answered).end();
  });
  ({ runtime, base } = testbed);
});

afterAll(() => testbed?.close());

/** A source of its own per test, so partners licensed for it hear of nothing else. */
async function newSource(name: string): Promise<string> {
  return (await createSource(runtime.db, { url: `https://example.org/${name}/feed`, targets: ["es", "ca"] })).id;
}

async function partner(
  name: string,
  sourceId: string,
  options: { languages?: string[]; allowPrivate?: boolean; host?: string } = {},
): Promise<PartnerRow> {
  const url = new URL(`${base}/hook/${name}`);
  if (options.host) url.hostname = options.host;
  return createPartner(runtime.db, {
    name,
    languages: options.languages ?? ["es"],
    sources: [sourceId],
    webhookUrl: url.href,
    allowPrivateWebhook: options.allowPrivate ?? true,
  });
}

const deliveriesOf = (partnerId: string) => listDeliveries(runtime.db, { partnerId, limit: 100 });
const requestsTo = (name: string) => received.filter((request) => request.path === `/hook/${name}`);

/** Waits until no delivery of the partner is pending any more. */
async function settled(partnerId: string, count: number): Promise<DeliveryRow[]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const rows = await deliveriesOf(partnerId);
    if (rows.length >= count && rows.every((row) => row.status !== "pending")) return rows;
    if (Date.now() > deadline) throw new Error(`deliveries never settled: ${JSON.stringify(rows)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function webhookCount(outcome: string): Promise<number> {
  const metric = runtime.metrics.registry.getSingleMetric("babelwire_webhook_deliveries_total");
  return Promise.resolve(metric?.get()).then(
    (value) => value?.values.find((entry) => entry.labels.outcome === outcome)?.value ?? 0,
  );
}

describe("webhook deliveries", () => {
  it("POSTs {event, item} signed with the partner's secret over the raw body, with event and delivery headers", async () => {
    const sourceId = await newSource("signed");
    const outlet = await partner("signed", sourceId);
    const { articleId, translationId } = await approvedTranslation(runtime.db, sourceId, "signed-1");

    await publishTranslation(runtime, { translationId });
    const [delivery] = await settled(outlet.id, 1);

    expect(delivery).toMatchObject({ event: "published", status: "delivered", attempts: 1, last_status: 200 });
    const [request] = requestsTo("signed");
    expect(request?.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(request?.headers["x-babelwire-event"]).toBe("published");
    expect(request?.headers["x-babelwire-delivery"]).toBe(delivery?.id);
    const signature = request?.headers["x-babelwire-signature"] as string;
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(outlet.webhook_secret, request?.raw ?? Buffer.alloc(0), signature)).toBe(true);
    expect(verifyWebhookSignature("whsec_someone_else", request?.raw ?? Buffer.alloc(0), signature)).toBe(false);
    const body = JSON.parse(request?.raw.toString("utf8") ?? "{}");
    expect(body.event).toBe("published");
    // Standard Webhooks, checked by its own reference library with the partner's whsec_ secret as given.
    const headers = request?.headers as Record<string, string>;
    expect(headers["webhook-id"]).toBe(delivery?.id);
    expect(headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(outlet.webhook_secret).verify(request?.raw ?? "", headers)).toEqual(body);
    expect(() => new Webhook(outlet.webhook_secret).verify(`${request?.raw} `, headers)).toThrow(/signature/i);
    // A replay: the same bytes and signature, presented later than the receiver's 5-minute tolerance, fail.
    const replay = { ...headers, "webhook-timestamp": String(Number(headers["webhook-timestamp"]) - 301) };
    expect(() => new Webhook(outlet.webhook_secret).verify(request?.raw ?? "", replay)).toThrow();
    expect(body.item).toMatchObject({
      uri: `urn:babelwire:${translationId}`,
      language: "es",
      pubstatus: "usable",
      headlines: [{ role: "main", value: "Título" }],
    });
    expect(body.item.altids).toContainEqual({ role: "babelwire:article", value: articleId });
  });

  it("records exactly one successful delivery when the receiver fails twice, retrying under the same delivery id", async () => {
    const sourceId = await newSource("flaky");
    const outlet = await partner("flaky", sourceId);
    script.set("/hook/flaky", [500, 503]);
    const retriesBefore = await webhookCount("retrying");
    const { translationId } = await approvedTranslation(runtime.db, sourceId, "flaky-1");

    await publishTranslation(runtime, { translationId });
    const rows = await settled(outlet.id, 1);

    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: "delivered", attempts: 3, last_status: 200, last_error: null });
    expect(rows[0]?.delivered_at).toBeInstanceOf(Date);
    const requests = requestsTo("flaky");
    expect(requests.map((request) => request.answered)).toEqual([500, 503, 200]);
    expect(new Set(requests.map((request) => request.headers["x-babelwire-delivery"]))).toEqual(new Set([rows[0]?.id]));
    // One webhook-id across retries, so a Standard Webhooks receiver can drop a duplicate.
    expect(new Set(requests.map((request) => request.headers["webhook-id"]))).toEqual(new Set([rows[0]?.id]));
    expect(await webhookCount("retrying")).toBe(retriesBefore + 2);
  });

  it("running the publish job twice makes no second delivery", async () => {
    const sourceId = await newSource("twice");
    const outlet = await partner("twice", sourceId);
    const { translationId } = await approvedTranslation(runtime.db, sourceId, "twice-1");

    expect(await publishTranslation(runtime, { translationId })).toEqual({ outcome: "published" });
    expect(await publishTranslation(runtime, { translationId })).toEqual({ outcome: "already_published" });
    await settled(outlet.id, 1);
    expect(await publishTranslation(runtime, { translationId })).toEqual({ outcome: "already_published" });
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(await deliveriesOf(outlet.id)).toHaveLength(1);
    expect(requestsTo("twice")).toHaveLength(1);
  });

  it("announces a later live version as updated, carrying the new text", async () => {
    const sourceId = await newSource("updated");
    const outlet = await partner("updated", sourceId);
    const { translationId } = await approvedTranslation(runtime.db, sourceId, "updated-1");
    await publishTranslation(runtime, { translationId });
    await settled(outlet.id, 1);

    await transitionTranslation(runtime.db, translationId, "retranslate", { actor: "token:editor" });
    await machineTranslate(runtime.db, translationId, "Título corregido");
    await publishTranslation(runtime, { translationId });
    const rows = await settled(outlet.id, 2);

    expect(rows.map((row) => row.event)).toEqual(["updated", "published"]);
    const last = JSON.parse(requestsTo("updated").at(-1)?.raw.toString("utf8") ?? "{}");
    expect(last.event).toBe("updated");
    expect(last.item.headlines[0].value).toBe("Título corregido");
    expect(Number(last.item.version)).toBe(rows[0]?.live_version);
  });

  it("sends a withdrawal to every partner that received the item, and nothing to one that is not licensed", async () => {
    const sourceId = await newSource("kill");
    const outlet = await partner("kill", sourceId);
    const catalanOnly = await partner("kill-ca", sourceId, { languages: ["ca"] });
    const otherSource = await partner("kill-other", await newSource("kill-other"));
    const { articleId, translationId } = await approvedTranslation(runtime.db, sourceId, "kill-1");
    await publishTranslation(runtime, { translationId });
    await settled(outlet.id, 1);

    const withdrawal = await withdrawArticle(runtime.db, articleId, { actor: "token:editor", reason: "legal" });
    expect(withdrawal.translationIds).toEqual([translationId]);
    // What POST /v1/articles/{id}/withdraw queues for each language version that was live.
    expect(await publishTranslation(runtime, { translationId })).toEqual({
      outcome: "withdrawal_announced",
      partners: 1,
    });
    const rows = await settled(outlet.id, 2);

    expect(rows[0]).toMatchObject({ event: "withdrawn", status: "delivered", attempts: 1 });
    const kill = requestsTo("kill").at(-1);
    expect(kill?.headers["x-babelwire-event"]).toBe("withdrawn");
    const body = JSON.parse(kill?.raw.toString("utf8") ?? "{}");
    expect(body).toMatchObject({ event: "withdrawn", item: { pubstatus: "canceled" } });
    expect(body.item.bodies).toBeUndefined();
    for (const bystander of [catalanOnly, otherSource]) expect(await deliveriesOf(bystander.id)).toEqual([]);
    expect(requestsTo("kill-ca")).toEqual([]);
    expect(requestsTo("kill-other")).toEqual([]);
  });

  it("refuses a private address unless the admin allowed it for the partner", async () => {
    const sourceId = await newSource("private");
    const guarded = await partner("private", sourceId, { allowPrivate: false });
    // A name is checked on the addresses it resolves to, at connect time.
    const named = await partner("private-name", sourceId, { allowPrivate: false, host: "localhost" });
    const allowed = await partner("private-allowed", sourceId, { allowPrivate: true, host: "localhost" });
    const failedBefore = await webhookCount("failed");
    const { translationId } = await approvedTranslation(runtime.db, sourceId, "private-1");

    await publishTranslation(runtime, { translationId });
    const [literal] = await settled(guarded.id, 1);
    const [resolved] = await settled(named.id, 1);

    expect(literal).toMatchObject({ status: "failed", attempts: 1, last_status: null });
    expect(literal?.last_error).toMatch(/^WEBHOOK_BLOCKED_ADDRESS: .*127\.0\.0\.1.*not a public address/);
    expect(resolved).toMatchObject({ status: "failed", attempts: 1, last_status: null });
    expect(resolved?.last_error).toMatch(/^WEBHOOK_BLOCKED_ADDRESS: The host localhost resolves to/);
    expect(requestsTo("private")).toEqual([]);
    expect(requestsTo("private-name")).toEqual([]);
    expect(await webhookCount("failed")).toBe(failedBefore + 2);
    expect((await settled(allowed.id, 1))[0]).toMatchObject({ status: "delivered" });
    expect(requestsTo("private-allowed")).toHaveLength(1);
  });

  it("records a receiver that does not answer in time as a failed attempt to retry (10 s unless told)", async () => {
    expect(WEBHOOK_TIMEOUT_MS).toBe(10_000);
    const sourceId = await newSource("slow");
    const outlet = await partner("slow", sourceId);
    script.set("/hook/slow", [0]);
    const { translationId } = await approvedTranslation(runtime.db, sourceId, "slow-1");
    await publishTranslation({ ...runtime, queues: { enqueueDeliver: async () => {} } }, { translationId });
    const [pending] = await deliveriesOf(outlet.id);

    const attempt = deliverWebhook(
      { ...runtime, webhookTimeoutMs: 200 },
      { deliveryId: pending?.id ?? "" },
      { id: "t", attempt: 1, maxAttempts: 32 },
    );
    await expect(attempt).rejects.toThrow(/WEBHOOK_TIMEOUT|did not answer within 200 ms/);
    const [row] = await deliveriesOf(outlet.id);
    expect(row).toMatchObject({ status: "pending", attempts: 1, last_status: null });
    expect(row?.last_error).toMatch(/^WEBHOOK_TIMEOUT: /);
  });

  it("queues every pending delivery again when the publisher starts, as after a lost Redis", async () => {
    const sourceId = await newSource("lost");
    const outlet = await partner("lost", sourceId);
    const { translationId } = await approvedTranslation(runtime.db, sourceId, "lost-1");
    // Published, and the delivery row written, but its job never reached Redis.
    await publishTranslation({ ...runtime, queues: { enqueueDeliver: async () => {} } }, { translationId });
    expect((await deliveriesOf(outlet.id))[0]?.status).toBe("pending");

    const stop = await publisherService(runtime).afterStart?.();
    await stop?.();
    const [delivery] = await settled(outlet.id, 1);

    expect(delivery).toMatchObject({ status: "delivered", attempts: 1 });
    expect(requestsTo("lost")).toHaveLength(1);
  });

  it("marks a delivery failed, visibly, when its last attempt is not answered with 2xx", async () => {
    const sourceId = await newSource("down");
    const outlet = await partner("down", sourceId);
    script.set("/hook/down", [502]);
    const { translationId } = await approvedTranslation(runtime.db, sourceId, "down-1");
    await publishTranslation({ ...runtime, queues: { enqueueDeliver: async () => {} } }, { translationId });
    const [pending] = await deliveriesOf(outlet.id);
    const failedBefore = await webhookCount("failed");

    const attempt = deliverWebhook(
      runtime,
      { deliveryId: pending?.id ?? "" },
      { id: "t", attempt: 32, maxAttempts: 32 },
    );
    await expect(attempt).rejects.toThrow("The receiver answered 502.");
    const [row] = await deliveriesOf(outlet.id);
    expect(row).toMatchObject({
      status: "failed",
      attempts: 1,
      last_status: 502,
      last_error: "WEBHOOK_HTTP_502: The receiver answered 502.",
    });
    expect(await webhookCount("failed")).toBe(failedBefore + 1);
  });
});
