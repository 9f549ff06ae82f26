import type { RedisClient } from "@babelwire/queue";
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { createFeedCache, type FeedCache } from "../feed-cache/feed-cache.ts";
import { type FeedGenerations, watchFeedGenerations } from "../feed-cache/feed-generations.ts";
import { subscriberConnection } from "../pubsub/channel-subscription.ts";

declare module "fastify" {
  interface FastifyInstance {
    /** Feed generations pushed to this process; the feed cache asks them before Redis. */
    feedGenerations: FeedGenerations;
    /** Rendered partner feeds, shared by the feed routes and the fast feed path. */
    feedCache: FeedCache;
  }
}

export interface FeedCachePluginOptions {
  /** A request-path connection (connectRequestRedis): generations and renderings are read through it. */
  redis: RedisClient;
  /** The shared connection, duplicated for the subscription (a subscribed connection takes no commands). */
  subscribeWith: RedisClient;
  prefix: string;
  /** Told when the subscription or the cache failed; feeds are then read or rendered without them. */
  onError?: (error: unknown, what: "subscription" | "cache") => void;
}

/**
 * The feed cache of one API process and its subscription to the feed generations, on a
 * connection of its own (duplicated from the shared one), closed with the app.
 */
export const feedCachePlugin = fp(
  async (app: FastifyInstance, options: FeedCachePluginOptions) => {
    const report = options.onError ?? (() => {});
    const generations = watchFeedGenerations({
      redis: options.redis,
      subscriber: subscriberConnection(options.subscribeWith, `${options.prefix}:feedgen-subscriber`),
      prefix: options.prefix,
      onError: (error) => report(error, "subscription"),
    });
    app.decorate("feedGenerations", generations);
    app.decorate(
      "feedCache",
      createFeedCache({
        redis: options.redis,
        prefix: options.prefix,
        generations,
        onError: (error) => report(error, "cache"),
      }),
    );
    app.addHook("onClose", () => generations.close());
  },
  { name: "babelwire-feed-cache" },
);
