import type { Db, Role } from "@babelwire/db";
import type { FastifyInstance, FastifyRequest, onRequestHookHandler } from "fastify";
import fp from "fastify-plugin";
import { type Licence, NOTHING } from "../entitlements/licence.ts";
import { type SessionStore, sessionToken } from "../sessions/browser-session.ts";
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
    /** Browser sessions (the desk, the queue dashboard), shared by every page. */
    sessions: SessionStore;
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

export function principalOf({ row, partner }: TokenHolder): Principal {
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
  async (app: FastifyInstance, options: { db: Db; sessions: SessionStore }) => {
    app.decorateRequest("principal", null);
    const tokens = createTokenCache(options.db);
    app.decorate("tokenCache", tokens);
    app.decorate("sessions", options.sessions);
    const check: onRequestHookHandler = async (request) => {
      const roles = request.routeOptions.config.roles;
      if (!roles) return;
      const token = presentedToken(request, request.routeOptions.config.tokenInQuery === true);
      if (!token) {
        const session = await sessionPrincipal(options.db, options.sessions, request, roles);
        if (session) {
          request.principal = session;
          return;
        }
        throw new ApiError(401, "unauthorized", "This route needs a token: Authorization: Bearer <token>.");
      }
      const holder = await tokens.lookup(token);
      if (!holder) throw new ApiError(401, "unauthorized", "The token is unknown, revoked or expired.");
      const { row } = holder;
      if (row.partner_id && row.role === "partner" && !holder.partner) {
        throw new ApiError(401, "unauthorized", "The token's partner no longer exists.");
      }
      // Known before the role check, so a refused attempt is audited under the token that made it.
      request.principal = principalOf(holder);
      if (row.role !== "admin" && !roles.includes(row.role)) {
        throw new ApiError(403, "forbidden", `${roleToken(row.role)} cannot use this route.`);
      }
    };
    // Before body parsing and validation: a caller without the right learns nothing of the input rules.
    app.addHook("onRequest", check);
  },
  { name: "babelwire-auth" },
);

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * A browser page's session (the desk calls /v1 with its cookie). Only editor and admin tokens
 * get sessions. A write must come from our own origin: SameSite=Strict already keeps other
 * sites' requests cookieless, and the Origin check holds even for a browser that ignores it.
 */
async function sessionPrincipal(
  db: Db,
  sessions: SessionStore,
  request: FastifyRequest,
  roles: Role[],
): Promise<Principal | undefined> {
  const row = await sessionToken(db, sessions, request);
  if (!row || row.role === "partner") return undefined;
  if (!SAFE_METHODS.has(request.method)) {
    const origin = request.headers.origin;
    let host: string | undefined;
    try {
      host = origin ? new URL(origin).host : undefined;
    } catch {
      host = undefined;
    }
    if (!host || host !== request.headers.host) {
      throw new ApiError(403, "forbidden", "A browser session writes only from the page's own origin.");
    }
  }
  if (row.role !== "admin" && !roles.includes(row.role)) {
    throw new ApiError(403, "forbidden", `${roleToken(row.role)} cannot use this route.`);
  }
  return { tokenId: row.id, role: row.role, partnerId: null, licence: null };
}

/** "An editor token", "A partner token": how messages name a token by its role. */
export function roleToken(role: string): string {
  return `${/^[aeiou]/i.test(role) ? "An" : "A"} ${role} token`;
}

/** The actor recorded in history for a request's writes. */
export function actorOf(request: FastifyRequest): string {
  return request.principal ? `token:${request.principal.tokenId}` : "anonymous";
}
