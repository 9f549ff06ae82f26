import type { RedisClient } from "@babelwire/queue";
import type { FastifyInstance, preHandlerHookHandler } from "fastify";
import fp from "fastify-plugin";
import { createTokenLeases, type WindowHit } from "../rate-limit/token-leases.ts";
import { ApiError } from "./errors.ts";

/** What the fast feed path needs of the rate limit: a request from memory, or nothing. */
export interface PartnerRateLimit {
  limit: number;
  /** A request from this process's lease, or undefined when Redis must be asked (leave it to the plugin). */
  take(tokenId: string, now?: number): WindowHit | undefined;
}

declare module "fastify" {
  interface FastifyInstance {
    partnerRateLimit: PartnerRateLimit;
  }
}

/** The X-RateLimit-* headers for a counted request (and Retry-After when it is refused). */
export function rateLimitHeaders(limit: number, hit: WindowHit): Record<string, number> {
  const [remaining, resetSeconds] = rateLimitState(limit, hit);
  return { "x-ratelimit-limit": limit, "x-ratelimit-remaining": remaining, "x-ratelimit-reset": resetSeconds };
}

/** Requests left and seconds until the window starts again, as the X-RateLimit-* headers give them. */
export function rateLimitState(limit: number, hit: WindowHit): [remaining: number, resetSeconds: number] {
  return [Math.max(0, limit - hit.count), Math.max(1, Math.ceil(hit.resetMs / 1000))];
}

export interface RateLimitOptions {
  /** A request-path connection (connectRequestRedis): it fails fast instead of waiting for Redis. */
  redis: RedisClient;
  /** The queue prefix, a Cluster hash tag such as `{babelwire}`. */
  prefix: string;
  /** Requests a partner token may make per window (PARTNER_RATE_LIMIT). */
  limit: number;
  windowSeconds: number;
  /** Requests leased from Redis at a time per token; `leaseSize(limit)` by default. */
  batch?: number;
  /** Told when Redis failed or was slow and a request went through uncounted. */
  onError?: (error: unknown) => void;
}

/**
 * Per-token rate limit for partner tokens, counted in Redis so it holds however many API
 * processes serve them (leased in batches, so most requests ask nothing of Redis; see
 * createTokenLeases for the bound): 429 `rate_limited` with `Retry-After` beyond the limit, and
 * the `X-RateLimit-*` headers on every partner response. Admin and editor tokens are not limited:
 * they belong to our own staff and scripts (a glossary import, a review session), which must not
 * be stopped by a limit sized for outside readers, and their routes do not serve the outside
 * world. When Redis does not answer, requests go through uncounted: a Redis outage must not
 * take the partner feeds down with it (the feed cache makes the same choice).
 */
export const rateLimitPlugin = fp(
  async (app: FastifyInstance, options: RateLimitOptions) => {
    const { limit } = options;
    const report = options.onError ?? (() => {});
    const leases = createTokenLeases({
      redis: options.redis,
      prefix: options.prefix,
      limit,
      windowSeconds: options.windowSeconds,
      ...(options.batch !== undefined ? { batch: options.batch } : {}),
      onError: report,
    });
    const check: preHandlerHookHandler = async (request, reply) => {
      const principal = request.principal;
      if (principal?.role !== "partner") return;
      let hit: WindowHit | undefined = leases.take(principal.tokenId);
      if (!hit) {
        try {
          hit = await leases.hit(principal.tokenId);
        } catch (error) {
          report(error);
          return;
        }
      }
      const headers = rateLimitHeaders(limit, hit);
      reply.headers(headers);
      const resetSeconds = headers["x-ratelimit-reset"];
      if (hit.count > limit) {
        reply.header("retry-after", resetSeconds);
        throw new ApiError(
          429,
          "rate_limited",
          `This token may make ${limit} requests every ${options.windowSeconds} s; try again in ${resetSeconds} s.`,
        );
      }
    };
    app.decorate("partnerRateLimit", { limit, take: (tokenId: string, now?: number) => leases.take(tokenId, now) });
    app.addHook("preHandler", check);
  },
  { name: "babelwire-rate-limit", dependencies: ["babelwire-auth"] },
);
