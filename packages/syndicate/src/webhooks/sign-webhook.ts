import { createHmac, timingSafeEqual } from "node:crypto";
import type { NinjsItem } from "../ninjs/render-ninjs.ts";

export type WebhookEvent = "published" | "updated" | "withdrawn";

/** The exact bytes a webhook POSTs: the signature covers these, so they are built once and sent as they are. */
export function webhookBody(event: WebhookEvent, item: NinjsItem): string {
  return JSON.stringify({ event, item });
}

/** `X-Babelwire-Signature`: `sha256=` and the hex HMAC-SHA256 of the raw body under the partner's secret. */
export function webhookSignature(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body, "utf8").digest("hex")}`;
}

/**
 * What a receiver does with the header: recompute it over the raw body as received (before any
 * JSON parsing) and compare in constant time. Here for tests and as the reference for partners.
 */
export function verifyWebhookSignature(secret: string, body: string | Buffer, header: string | undefined): boolean {
  if (header === undefined) return false;
  const expected = Buffer.from(webhookSignature(secret, typeof body === "string" ? body : body.toString("utf8")));
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
