import { expect } from "vitest";
import type { Babelwire } from "./babelwire.ts";
import { type LocalServer, serve } from "./feed-server.ts";
import { LANGUAGES } from "./pipeline.ts";
import type { FreshDatabase } from "./postgres.ts";

export interface WebhookReceiver extends LocalServer {
  /** The X-Babelwire-Delivery header of every request received, repeats included. */
  received: string[];
}

/** A partner's endpoint that takes every webhook (200) and notes its delivery id. */
export async function receiveWebhooks(): Promise<WebhookReceiver> {
  const received: string[] = [];
  const server = await serve((request, response) => {
    request.resume();
    request.on("end", () => {
      const id = request.headers["x-babelwire-delivery"];
      if (typeof id === "string") received.push(id);
      response.writeHead(200).end();
    });
  });
  return { ...server, received };
}

/**
 * Adds a partner of both languages whose webhooks go to `url`. Returns false when this build
 * has no partner webhooks yet (the route answers 404), so the caller can leave them out.
 */
export async function addWebhookPartner(babelwire: Babelwire, url: string): Promise<void> {
  const response = await babelwire.api("/v1/partners", {
    method: "POST",
    body: JSON.stringify({
      name: "Faults partner",
      languages: [...LANGUAGES],
      webhookUrl: url,
      allowPrivateWebhook: true,
    }),
  });
  expect(response.status, await response.clone().text()).toBe(201);
}

export async function pendingDeliveries(database: FreshDatabase): Promise<number> {
  const rows = await database.rows<{ n: number }>(
    "select count(*)::int as n from deliveries where status <> 'delivered'",
  );
  return rows[0]?.n ?? 0;
}

/**
 * One `published` delivery per translation, each id its own, every one delivered and received.
 * A delivery may arrive more than once (at least once, with the same id); a second id for the
 * same event would be a duplicate webhook.
 */
export async function expectEachDeliveryOnce(database: FreshDatabase, receiver: WebhookReceiver, translations: number) {
  const rows = await database.rows<{ id: string; translation_id: string; event: string; status: string }>(
    "select id, translation_id, event, status from deliveries",
  );
  expect(rows).toHaveLength(translations);
  expect(new Set(rows.map((row) => row.id)).size).toBe(translations);
  expect(new Set(rows.map((row) => `${row.translation_id}:${row.event}`)).size).toBe(translations);
  expect(rows.every((row) => row.event === "published" && row.status === "delivered")).toBe(true);
  const ids = new Set(rows.map((row) => row.id));
  expect(new Set(receiver.received)).toEqual(ids);
}
