import { createHmac, timingSafeEqual } from "node:crypto";
import type { DeliveryEvent } from "@babelwire/core";
import type { NinjsItem } from "../ninjs/render-ninjs.ts";

/** The exact bytes a webhook POSTs: the signature covers these, so they are built once and sent as they are. */
export function webhookBody(event: DeliveryEvent, item: NinjsItem): string {
  return JSON.stringify({ event, item });
}

/** `X-Babelwire-Signature`: `sha256=` and the hex HMAC-SHA256 of the raw body under the partner's secret. */
export function webhookSignature(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body, "utf8").digest("hex")}`;
}

/** The Standard Webhooks headers (standardwebhooks.com) of one delivery attempt. */
export interface StandardWebhookHeaders {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
}

/**
 * The HMAC key of a `whsec_` secret under the Standard Webhooks convention: the bytes that the
 * base64 after the prefix encodes, not the text. Secrets made before this scheme are base64url;
 * Node reads both alphabets, and the README tells receivers how to hand those to a library.
 */
function standardKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith("whsec_") ? secret.slice("whsec_".length) : secret, "base64");
}

/**
 * `webhook-id` (the delivery id, the same on every retry, so a receiver can drop duplicates),
 * `webhook-timestamp` (Unix seconds of this attempt) and `webhook-signature`: `v1,` and the
 * base64 HMAC-SHA256 of `id.timestamp.body`. Covering the time makes a captured delivery
 * worthless once the receiver's tolerance (5 minutes in the libraries) has passed.
 */
export function standardWebhookHeaders(
  secret: string,
  id: string,
  body: string,
  at: Date = new Date(),
): StandardWebhookHeaders {
  const timestamp = String(Math.floor(at.getTime() / 1000));
  const signature = createHmac("sha256", standardKey(secret))
    .update(`${id}.${timestamp}.${body}`, "utf8")
    .digest("base64");
  return { "webhook-id": id, "webhook-timestamp": timestamp, "webhook-signature": `v1,${signature}` };
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
