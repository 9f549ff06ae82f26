import { isCluster, type RedisClient } from "@babelwire/queue";
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { type FeedGenerations, watchFeedGenerations } from "../feed-cache/feed-generations.ts";

declare module "fastify" {
  interface FastifyInstance {
    /** Feed generations pushed to this process; the feed cache asks them before Redis. */
    feedGenerations: FeedGenerations;
  }
}

export interface FeedGenerationsPluginOptions {
  redis: RedisClient;
  prefix: string;
  onError?: (error: unknown) => void;
}

/**
 * One subscription per API process for the feed generations, on a connection of its own
 * (duplicated from the shared one), closed with the app.
 */
export const feedGenerationsPlugin = fp(
  async (app: FastifyInstance, options: FeedGenerationsPluginOptions) => {
    const generations = watchFeedGenerations({
      redis: options.redis,
      // Named after the prefix so an operator (or a test) can find it in CLIENT LIST.
      subscriber: isCluster(options.redis)
        ? options.redis.duplicate()
        : options.redis.duplicate({ connectionName: `${options.prefix}:feedgen-subscriber` }),
      prefix: options.prefix,
      ...(options.onError ? { onError: options.onError } : {}),
    });
    app.decorate("feedGenerations", generations);
    app.addHook("onClose", () => generations.close());
  },
  { name: "babelwire-feed-generations" },
);
