/**
 * The Redis pub/sub channel on which every change a partner can see (a publication, an update,
 * a withdrawal) is announced, so API processes holding long-poll sync requests, wherever they
 * run, answer within moments instead of at their deadline. A message is only a hint: it carries
 * the language, and the reader reads the database again. A lost message costs latency, never an
 * item: the held request still reads the database at its deadline.
 */

/** All the announcement needs of a Redis client: ioredis or anything like it. */
export interface ChangePublisher {
  publish(channel: string, message: string): Promise<number>;
}

/** One channel for every language; the prefix keeps deployments (and test files) on one Redis apart. */
export function feedChangesChannel(prefix: string): string {
  return `${prefix}:feedchanges`;
}

/** Call it after the change has committed, so a woken reader finds it. Returns the listeners reached. */
export function announceFeedChange(redis: ChangePublisher, prefix: string, lang: string): Promise<number> {
  return redis.publish(feedChangesChannel(prefix), lang);
}
