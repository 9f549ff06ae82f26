import { listWebSubDeliveries, listWebSubSubscriptions, type Role, type WebSubSubscriptionRow } from "@babelwire/db";
import type { FastifyInstance } from "fastify";
import type { ApiDeps } from "../../deps.ts";
import { listSchema } from "../../pagination/page.ts";
import { bearer, errors, idParams } from "../../schemas.ts";
import { deliveryLogView } from "./deliveries.ts";

const ADMINS: { roles: Role[] } = { roles: ["admin"] };
const LIMIT = { type: "integer", minimum: 1, maximum: 500, default: 100 } as const;

/** The hub's subscriptions and each one's delivery log, for operators. Secrets and tokens stay hidden. */
export async function websubSubscriptionRoutes(app: FastifyInstance, deps: ApiDeps) {
  app.get<{ Querystring: { limit?: number } }>(
    "/v1/websub/subscriptions",
    { config: ADMINS, schema: subscriptionsSchema },
    async (request) => ({
      items: (await listWebSubSubscriptions(deps.db, request.query.limit ?? 100)).map(subscriptionView),
    }),
  );
  app.get<{ Params: { id: string }; Querystring: { limit?: number } }>(
    "/v1/websub/subscriptions/:id/deliveries",
    { config: ADMINS, schema: deliveriesSchema },
    async (request) => ({
      items: (await listWebSubDeliveries(deps.db, request.params.id, request.query.limit ?? 100)).map(deliveryLogView),
    }),
  );
}

/** The topic as the operator may see it: the token is a partner's secret. */
function redactedTopic(topic: string): string {
  const url = new URL(topic);
  if (url.searchParams.has("token")) url.searchParams.set("token", "redacted");
  return url.href;
}

function subscriptionView(row: WebSubSubscriptionRow) {
  return {
    id: row.id,
    callback: row.callback,
    topic: redactedTopic(row.topic),
    tokenId: row.token_id,
    state: row.state,
    signed: row.secret !== null,
    leaseSeconds: row.lease_seconds,
    expiresAt: row.expires_at?.toISOString() ?? null,
    verifiedAt: row.verified_at?.toISOString() ?? null,
    pendingMode: row.state === "pending" ? row.intent_mode : null,
    lastError: row.last_error,
    createdAt: row.created_at.toISOString(),
  };
}

const nullableString = { type: "string", nullable: true } as const;

const subscriptionsSchema = {
  tags: ["operators"],
  summary: "The WebSub hub's subscriptions, newest first",
  security: bearer,
  querystring: { type: "object", additionalProperties: false, properties: { limit: LIMIT } },
  response: {
    200: listSchema({
      type: "object",
      properties: {
        id: { type: "string" },
        callback: { type: "string" },
        topic: { type: "string", description: "The feed URL, its token redacted" },
        tokenId: { type: "string" },
        state: { type: "string", enum: ["pending", "active", "denied", "ended"] },
        signed: { type: "boolean", description: "Whether the subscriber gave a hub.secret" },
        leaseSeconds: { type: "integer", nullable: true },
        expiresAt: nullableString,
        verifiedAt: nullableString,
        pendingMode: nullableString,
        lastError: nullableString,
        createdAt: { type: "string" },
      },
    }),
    ...errors(400, 401, 403),
  },
};

const deliveriesSchema = {
  tags: ["operators"],
  summary: "One WebSub subscription's deliveries, newest first",
  security: bearer,
  params: idParams,
  querystring: { type: "object", additionalProperties: false, properties: { limit: LIMIT } },
  response: {
    200: listSchema({
      type: "object",
      properties: {
        id: { type: "string" },
        event: { type: "string" },
        translationId: { type: "string" },
        version: { type: "integer" },
        status: { type: "string", enum: ["pending", "delivered", "failed"] },
        attempts: { type: "integer" },
        lastStatus: { type: "integer", nullable: true },
        lastError: nullableString,
        createdAt: { type: "string" },
        deliveredAt: nullableString,
      },
    }),
    ...errors(400, 401, 403),
  },
};
