import type { RedisClient } from "@babelwire/queue";
import {
  feedGenerationChannel,
  feedGenerationKey,
  invalidateFeeds,
  parseGenerationMessage,
} from "@babelwire/syndicate";
import { ChangeCount } from "../change-count.ts";
import { subscribeChannel } from "../pubsub/channel-subscription.ts";

export interface FeedGenerationsOptions {
  /** The shared connection, for reads while the subscription is down. */
  redis: RedisClient;
  /**
   * A connection of its own for the subscription (a subscribed connection takes no other
   * commands); owned from here on and closed by `close()`.
   */
  subscriber: RedisClient;
  /** The queue prefix, a Cluster hash tag such as `{babelwire}`. */
  prefix: string;
  /** Told when subscribing failed; the generations are read from Redis meanwhile. */
  onError?: (error: unknown) => void;
}

/** Each language's feed generation, as this process knows it. */
export interface FeedGenerations {
  /**
   * The generation held in memory, or undefined when it must be read: not subscribed (so a bump
   * could have been missed), or not read since the subscription started.
   */
  known(lang: string): number | undefined;
  /** The generation read from Redis, kept in memory when the subscription makes that safe. */
  read(lang: string): Promise<number>;
  /**
   * Invalidates the language's feeds (`invalidateFeeds`) and knows the new generation at once,
   * so this process's next request sees its own change without waiting for the announcement.
   */
  bump(lang: string): Promise<number>;
  /** Bumped whenever a generation `known` gives changes, or stops or starts being known. */
  readonly changes: ChangeCount;
  /** Whether bumps are arriving: the subscription is confirmed and its connection up. */
  readonly live: boolean;
  close(): Promise<void>;
}

/**
 * Feed generations pushed to this process instead of read on every feed request: the publisher,
 * the withdrawal route and a source's rename announce each bump on a pub/sub channel
 * (`invalidateFeeds`). Correctness never rests on the push: whenever the subscription is not
 * confirmed (connecting, killed, reconnecting) everything in memory is dropped and each request
 * reads the generation from Redis as before; once subscribed again, a read is kept, since any
 * later bump will arrive as a message. Generations only grow, so the larger of a message and a
 * read racing it is the current one.
 */
export function watchFeedGenerations(options: FeedGenerationsOptions): FeedGenerations {
  const { redis, subscriber, prefix } = options;
  const report = options.onError ?? (() => {});
  const channel = feedGenerationChannel(prefix);
  const generations = new Map<string, number>();
  let live = false;
  // Bumped whenever the subscription goes down or comes up: a read that began in another epoch
  // says nothing about this one.
  let epoch = 0;
  const changes = new ChangeCount();
  const keep = (lang: string, generation: number) => {
    if (generation <= (generations.get(lang) ?? -1)) return;
    generations.set(lang, generation);
    changes.bump();
  };
  const down = () => {
    live = false;
    epoch += 1;
    changes.bump();
    generations.clear();
  };
  const subscription = subscribeChannel(subscriber, channel, {
    message(text) {
      const news = live ? parseGenerationMessage(text) : null;
      if (news) keep(news.lang, news.generation);
    },
    up() {
      // Bumps made before this moment may have been missed: read each language afresh.
      generations.clear();
      epoch += 1;
      changes.bump();
      live = true;
    },
    down,
    onError: report,
  });

  return {
    known(lang) {
      return live ? generations.get(lang) : undefined;
    },
    async read(lang) {
      const began = epoch;
      const generation = Number((await redis.get(feedGenerationKey(prefix, lang))) ?? 0);
      if (live && epoch === began) keep(lang, generation);
      return generation;
    },
    async bump(lang) {
      const began = epoch;
      const generation = await invalidateFeeds(redis, prefix, lang);
      if (live && epoch === began) keep(lang, generation);
      return generation;
    },
    changes,
    get live() {
      return live;
    },
    async close() {
      down();
      await subscription.close();
    },
  };
}
