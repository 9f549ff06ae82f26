import { isCluster, type RedisClient } from "@babelwire/queue";

export interface ChannelHandlers {
  /** A message on the channel, while the subscription stands. */
  message(text: string): void;
  /**
   * The subscription stands: its SUBSCRIBE was confirmed, at first and after every reconnect.
   * Messages published before this moment may have been missed.
   */
  up(): void;
  /** The connection closed: messages are being missed until the next `up`. */
  down(): void;
  /** SUBSCRIBE failed; the connection retries it on its next "ready". */
  onError?: (error: unknown) => void;
  /** The connection failed (ioredis reconnects by itself); ignored unless given. */
  onConnectionError?: (error: unknown) => void;
}

export interface ChannelSubscription {
  /** Ends the subscription and closes its connection; no handler is called after it. */
  close(): Promise<void>;
}

/**
 * One pub/sub channel on a connection of its own (a subscribed connection takes no other
 * commands), owned from here on. It subscribes whenever the connection becomes ready and tells
 * when the subscription stands and when it falls, so a user can fall back to reads in between:
 * a push is a shortcut, never what correctness rests on.
 */
export function subscribeChannel(
  connection: RedisClient,
  channel: string,
  handlers: ChannelHandlers,
): ChannelSubscription {
  // Bumped whenever the connection closes: a SUBSCRIBE reply from an earlier connection says
  // nothing about this one.
  let epoch = 0;
  let closed = false;
  const subscribe = () => {
    const began = epoch;
    connection.subscribe(channel).then(
      () => {
        if (epoch === began && !closed) handlers.up();
      },
      (error: unknown) => handlers.onError?.(error),
    );
  };
  connection.on("message", (from: string, text: string) => {
    if (from === channel && !closed) handlers.message(text);
  });
  // Without a listener an 'error' event would crash the process.
  connection.on("error", (error: unknown) => handlers.onConnectionError?.(error));
  connection.on("close", () => {
    epoch += 1;
    if (!closed) handlers.down();
  });
  connection.on("ready", subscribe);
  if (connection.status === "ready") subscribe();
  return {
    async close() {
      closed = true;
      epoch += 1;
      connection.removeAllListeners("ready");
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}

/**
 * A connection of its own for a subscription, duplicated from `redis` and named (outside a
 * Cluster, whose nodes take no one name) so an operator, or a test, finds it in CLIENT LIST.
 */
export function subscriberConnection(redis: RedisClient, name: string): RedisClient {
  return isCluster(redis) ? redis.duplicate() : redis.duplicate({ connectionName: name });
}
