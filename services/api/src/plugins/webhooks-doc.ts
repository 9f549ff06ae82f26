import type { FastifyDynamicSwaggerOptions } from "@fastify/swagger";
import { ninjsItemSchema } from "../schemas.ts";

type OpenApi = NonNullable<FastifyDynamicSwaggerOptions["openapi"]>;
/** The 3.1 document type of @fastify/swagger, whose schema objects our plain JSON Schemas are. */
type Webhooks = NonNullable<Extract<OpenApi, { webhooks?: unknown }>["webhooks"]>;

const DELIVERY_NOTE = [
  "Babelwire POSTs this to the partner's `webhookUrl` for each item of its licensed languages and sources.",
  "",
  "**Verifying a delivery.** `X-Babelwire-Signature` is `sha256=` followed by the hex HMAC-SHA256 of the raw request body (the bytes as received, before any JSON parsing) keyed with the partner's webhook `secret` (given once when the partner is created). Recompute it and compare in constant time; refuse the request when they differ.",
  "",
  "**Retries.** Any answer but 2xx, or none within 10 seconds, is retried with exponential backoff (1, 2, 4 … 32 minutes, then hourly) for about 26 hours. A retry carries the item as it is at that moment, so its `version` may be higher than the first attempt's. `X-Babelwire-Delivery` stays the same across retries of one delivery: use it to drop duplicates. `GET /v1/partners/{id}/deliveries` lists every attempt.",
  "",
  "**Order.** Deliveries of different items are not ordered; within one item, keep the highest `version` you have seen.",
].join("\n");

const eventNames = {
  published: "A language version of an article is published for the first time (or reinstated).",
  updated: "A published language version changed: a correction, an editor's edit, a newer version of the original.",
  withdrawn: "The item was withdrawn: take it down. The item comes with `pubstatus: canceled` and without its text.",
} as const;

function webhookOperation(event: keyof typeof eventNames) {
  return {
    post: {
      summary: `\`${event}\`: ${eventNames[event]}`,
      description: DELIVERY_NOTE,
      tags: ["partners"],
      parameters: [
        {
          name: "X-Babelwire-Event",
          in: "header" as const,
          required: true,
          schema: { type: "string", enum: [event] },
          description: "The event, as in the body",
        },
        {
          name: "X-Babelwire-Delivery",
          in: "header" as const,
          required: true,
          schema: { type: "string", format: "uuid" },
          description: "The delivery's id, the same on every retry",
        },
        {
          name: "X-Babelwire-Signature",
          in: "header" as const,
          required: true,
          schema: { type: "string", pattern: "^sha256=[0-9a-f]{64}$" },
          description: "`sha256=<hex HMAC-SHA256 of the raw body with the partner's webhook secret>`",
        },
      ],
      requestBody: {
        required: true,
        content: {
          "application/json": {
            schema: {
              type: "object",
              properties: { event: { type: "string", enum: [event] }, item: ninjsItemSchema },
              required: ["event", "item"],
            },
          },
        },
      },
      responses: {
        "2XX": { description: "Received; any 2xx ends the delivery" },
        default: { description: "Anything else (or no answer within 10 s) is retried" },
      },
    },
  };
}

/** The OpenAPI 3.1 `webhooks` section: what Babelwire sends to partners, and how they verify it. */
export const webhooksDocument = {
  published: webhookOperation("published"),
  updated: webhookOperation("updated"),
  withdrawn: webhookOperation("withdrawn"),
} as unknown as Webhooks;
