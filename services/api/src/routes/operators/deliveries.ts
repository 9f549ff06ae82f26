import { type DeliveryRow, getPartner, listDeliveries, type Role, type WebSubDeliveryRow } from "@babelwire/db";
import type { FastifyInstance } from "fastify";
import type { ApiDeps } from "../../deps.ts";
import { pageQuery, pageSchema, readPage } from "../../pagination/page.ts";
import { ApiError } from "../../plugins/errors.ts";
import { bearer, errors, idParams } from "../../schemas.ts";

const ADMINS: { roles: Role[] } = { roles: ["admin"] };
const DEFAULT_LIMIT = 50;

interface DeliveriesQuery {
  cursor?: string;
  limit?: number;
}

/** A partner's webhook log, newest first: what was sent, whether it arrived, and why not. */
export async function deliveryRoutes(app: FastifyInstance, deps: ApiDeps) {
  app.get<{ Params: { id: string }; Querystring: DeliveriesQuery }>(
    "/v1/partners/:id/deliveries",
    { config: ADMINS, schema: deliveriesSchema },
    async (request) => {
      const { cursor, limit = DEFAULT_LIMIT } = request.query;
      if (!(await getPartner(deps.db, request.params.id))) {
        throw new ApiError(404, "not_found", `No partner ${request.params.id}.`);
      }
      const { rows, nextCursor } = await readPage(
        { cursor, limit },
        (limit, before) => listDeliveries(deps.db, { partnerId: request.params.id, limit, before }),
        (row) => ({ at: row.created_at, id: row.id }),
      );
      return { items: rows.map(deliveryView), nextCursor };
    },
  );
}

function deliveryView(row: DeliveryRow) {
  return {
    ...deliveryLogView(row),
    articleId: row.article_id,
    lang: row.lang,
    updatedAt: row.updated_at.toISOString(),
  };
}

/** A delivery log's row as operators read it, webhook or WebSub alike: the event sent and how its attempts went. */
export function deliveryLogView(row: DeliveryRow | WebSubDeliveryRow) {
  return {
    id: row.id,
    event: row.event,
    translationId: row.translation_id,
    version: row.live_version,
    status: row.status,
    attempts: row.attempts,
    lastStatus: row.last_status,
    lastError: row.last_error,
    createdAt: row.created_at.toISOString(),
    deliveredAt: row.delivered_at?.toISOString() ?? null,
  };
}

const deliveriesSchema = {
  tags: ["operators"],
  summary: "A partner's webhook deliveries, newest first",
  description:
    "One entry per event sent to the partner's webhook (`published`, `updated`, `withdrawn`); `id` is the `X-Babelwire-Delivery` header the partner received, the same on every retry. `pending` deliveries are retried with exponential backoff (1 min doubling to at most 1 h, 32 attempts over about 26 h); `failed` ones ran out of attempts or were refused (`lastError` says why, such as `WEBHOOK_HTTP_503`, `WEBHOOK_TIMEOUT` or `WEBHOOK_BLOCKED_ADDRESS`). Follow `nextCursor` for older ones.",
  security: bearer,
  params: idParams,
  querystring: {
    type: "object",
    additionalProperties: false,
    properties: pageQuery({ default: DEFAULT_LIMIT, maximum: 200 }),
  },
  response: {
    200: pageSchema({
      type: "object",
      properties: {
        id: { type: "string", format: "uuid", description: "the X-Babelwire-Delivery header" },
        event: { type: "string", enum: ["published", "updated", "withdrawn"] },
        articleId: { type: "string", format: "uuid" },
        translationId: { type: "string", format: "uuid" },
        lang: { type: "string" },
        version: { type: "integer", description: "the item's live version the event announced" },
        status: { type: "string", enum: ["pending", "delivered", "failed"] },
        attempts: { type: "integer" },
        lastStatus: { type: ["integer", "null"], description: "the receiver's last HTTP status" },
        lastError: { type: ["string", "null"], description: "the last attempt's error code and message" },
        createdAt: { type: "string", format: "date-time" },
        updatedAt: { type: "string", format: "date-time" },
        deliveredAt: { type: ["string", "null"], format: "date-time" },
      },
      required: ["id", "event", "articleId", "lang", "status", "attempts", "createdAt"],
    }),
    ...errors(400, 401, 403, 404),
  },
};
