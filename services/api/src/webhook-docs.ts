import type { FastifyDynamicSwaggerOptions } from "@fastify/swagger";

type Webhooks = NonNullable<Extract<FastifyDynamicSwaggerOptions["openapi"], { webhooks?: unknown }>["webhooks"]>;

const header = (name: string, description: string, example?: string) =>
  ({
    in: "header",
    name,
    required: true,
    description,
    schema: { type: "string", ...(example && { example }) },
  }) as const;

/**
 * The webhook a partner receives, for the OpenAPI document's `webhooks`: the routes describe
 * what partners call, this what Babelwire calls on them.
 */
export const partnerWebhooks: Webhooks = {
  delivery: {
    post: {
      tags: ["partners"],
      summary: "A publication, update or withdrawal, POSTed to the partner's webhook URL",
      description:
        "Signed two ways with the partner's `whsec_` secret. **Standard Webhooks** (standardwebhooks.com): `webhook-signature` is `v1,` and the base64 HMAC-SHA256 of `<webhook-id>.<webhook-timestamp>.<raw body>` under the key the base64 after `whsec_` encodes; verify it with any Standard Webhooks library and refuse timestamps more than 5 minutes away, so a captured delivery cannot be replayed. `webhook-id` is the same on every retry of one delivery: drop one you have already processed. **Legacy:** `X-Babelwire-Signature: sha256=<hex HMAC-SHA256 of the raw body>` under the secret's text, kept for receivers built before; it does not cover time. Retried with exponential backoff for at least 24 hours until the receiver answers 2xx; redirects are not followed.",
      parameters: [
        header("webhook-id", "The delivery's id, stable across retries"),
        header("webhook-timestamp", "Unix seconds of this attempt", "1796302800"),
        header("webhook-signature", "`v1,<base64 signature>`"),
        header("X-Babelwire-Event", "published, updated or withdrawn"),
        header("X-Babelwire-Delivery", "The same id as webhook-id"),
        header("X-Babelwire-Signature", "`sha256=<hex>` over the body alone (legacy)"),
      ],
      requestBody: {
        required: true,
        content: {
          "application/json": {
            schema: {
              type: "object",
              properties: {
                event: { type: "string", enum: ["published", "updated", "withdrawn"] },
                item: {
                  type: "object",
                  description:
                    "The item as IPTC ninjs 2.2, as `GET /v1/articles/{id}` returns it; `pubstatus: canceled` once withdrawn",
                },
              },
              required: ["event", "item"],
            },
          },
        },
      },
      responses: {
        "2XX": { description: "Received; anything else, or no answer within 10 s, is retried" },
      },
    },
  },
};
