import type { Db, Role } from "@babelwire/db";
import type { FastifyInstance, FastifyRequest, onRequestHookHandler } from "fastify";
import fp from "fastify-plugin";
import { type Licence, NOTHING } from "../entitlements/licence.ts";
import { ApiError } from "./errors.ts";
import { createTokenCache, type TokenCache, type TokenHolder } from "./token-cache.ts";

export interface Principal {
  tokenId: string;
  role: Role;
  partnerId: string | null;
  /** What a partner token may read; null for admins and editors, who read everything. */
  licence: Licence | null;
}

declare module "fastify" {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyInstance {
    tokenCache: TokenCache;
  }
  interface FastifyContextConfig {
    /** Roles allowed on the route; absent means public. */
    roles?: Role[];
    /** Whether `?token=` is accepted (feeds, for readers that cannot send headers). */
    tokenInQuery?: boolean;
  }
}

function presentedToken(request: FastifyRequest, allowQuery: boolean): string | undefined {
  const header = request.headers.authorization;
  if (header?.toLowerCase().startsWith("bearer ")) return header.slice(7).trim();
  if (allowQuery) {
    const token = (request.query as { token?: unknown } | undefined)?.token;
    if (typeof token === "string" && token) return token;
  }
  return undefined;
}

function principalOf({ row, partner }: TokenHolder): Principal {
  const licence =
    row.role !== "partner" ? null : partner ? { languages: partner.languages, sources: partner.sources } : NOTHING;
  return { tokenId: row.id, role: row.role, partnerId: row.partner_id, licence };
}

/**
 * Bearer-token auth. Each route declares the roles it admits in `config.roles`; a missing or
 * unknown token is 401, a known token without the role 403. Admin may do everything. A partner
 * token carries its partner's licence; once the partner is deleted the token is 401 (deleting
 * revokes it too; this check also covers the moment before another process's cache sees that).
 */
export const authPlugin = fp(
  async (app: FastifyInstance, options: { db: Db }) => {
    app.decorateRequest("principal", null);
    const tokens = createTokenCache(options.db);
    app.decorate("tokenCache", tokens);
    const check: onRequestHookHandler = async (request) => {
      const roles = request.routeOptions.config.roles;
      if (!roles) return;
      const token = presentedToken(request, request.routeOptions.config.tokenInQuery === true);
      if (!token) throw new ApiError(401, "unauthorized", "This route needs a token: Authorization: Bearer <token>.");
      const holder = await tokens.lookup(token);
      if (!holder) throw new ApiError(401, "unauthorized", "The token is unknown, revoked or expired.");
      const { row } = holder;
      if (row.partner_id && row.role === "partner" && !holder.partner) {
        throw new ApiError(401, "unauthorized", "The token's partner no longer exists.");
      }
      if (row.role !== "admin" && !roles.includes(row.role)) {
        throw new ApiError(403, "forbidden", `${roleToken(row.role)} cannot use this route.`);
      }
      request.principal = principalOf(holder);
    };
    // Before body parsing and validation: a caller without the right learns nothing of the input rules.
    app.addHook("onRequest", check);
  },
  { name: "babelwire-auth" },
);

/** "An editor token", "A partner token": how messages name a token by its role. */
export function roleToken(role: string): string {
  return `${/^[aeiou]/i.test(role) ? "An" : "A"} ${role} token`;
}

/** The actor recorded in history for a request's writes. */
export function actorOf(request: FastifyRequest): string {
  return request.principal ? `token:${request.principal.tokenId}` : "anonymous";
}
