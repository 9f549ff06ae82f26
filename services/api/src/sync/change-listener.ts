import type { RedisClient } from "@babelwire/queue";
import { feedChangesChannel } from "@babelwire/syndicate";
import { type ChannelSubscription, subscribeChannel, subscriberConnection } from "../pubsub/channel-subscription.ts";

/** Why a held sync request should read the database again. */
export type WakeReason = "changed" | "settled" | "deadline" | "closing";

/** One held request's view of the changes in its language. */
export interface ChangeWatch {
  /**
   * Resolves when a change in the language may have become readable, at the deadline (epoch
   * ms), or when the process is closing, whichever comes first.
   */
  next(deadline: number): Promise<WakeReason>;
  /** Ends a wait now, as when the reader has hung up. */
  cancel(): void;
  close(): void;
}

export interface ChangeListener {
  /** Call before the first read, so a change between that read and the wait is not missed. */
  watch(lang: string): ChangeWatch;
  /** Wakes every held request (for a graceful shutdown) and ends the subscription. */
  close(): Promise<void>;
}

export interface ChangeListenerOptions {
  redis: RedisClient;
  prefix: string;
  /**
   * When held requests read, in ms after a change is announced (or after the subscription
   * stands): at once, then a few times more. A change is readable only once every transaction
   * begun before its own has ended (the `changes` order, `ChangePosition` in @babelwire/db), and
   * one may still be running when the announcement arrives.
   */
  rereadsMs: readonly number[];
  onError?: (error: unknown) => void;
}

interface Wake {
  at: number;
  reason: WakeReason;
}

/**
 * Listens on the feed-changes channel with one subscriber connection per API process, opened on
 * the first long-poll, and wakes the held requests of the changed language. Messages arrive the
 * moment a change commits; each schedules a read at once and the few rereads after it.
 */
export function createChangeListener(options: ChangeListenerOptions): ChangeListener {
  const { redis, prefix, rereadsMs } = options;
  const window = Math.max(0, ...rereadsMs);
  /** The reads owed for something that happened at `since`, from `now` on. */
  const wakesAfter = (since: number, now: number, reason: WakeReason): Wake[] =>
    rereadsMs.map((offset) => ({ at: since + offset, reason })).filter((wake) => wake.at >= now);
  const channel = feedChangesChannel(prefix);
  const watchers = new Map<string, Set<(wakes: Wake[]) => void>>();
  /** When each language last changed, as this process heard it; decides whether a new watch must read again. */
  const lastChange = new Map<string, number>();
  let subscription: ChannelSubscription | undefined;
  /** Since when no message can have been missed; undefined while (re)subscribing. */
  let listeningSince: number | undefined;
  let closed = false;

  const wakeAll = (lang: string | undefined, wakes: Wake[]) => {
    const targets = lang === undefined ? [...watchers.values()] : [watchers.get(lang) ?? new Set()];
    for (const set of targets) for (const notify of set) notify(wakes);
  };

  const subscribe = () => {
    if (subscription) return;
    subscription = subscribeChannel(subscriberConnection(redis, `${prefix}:feedchanges-subscriber`), channel, {
      message(lang) {
        const now = Date.now();
        lastChange.set(lang, now);
        wakeAll(lang, wakesAfter(now, now, "changed"));
      },
      // Whatever was published while the connection was down is lost: every held request reads
      // again, as after a change.
      up() {
        const now = Date.now();
        listeningSince = now;
        wakeAll(undefined, wakesAfter(now, now, "settled"));
      },
      down() {
        listeningSince = undefined;
      },
      onError: options.onError,
      onConnectionError: options.onError,
    });
  };

  return {
    watch(lang) {
      if (closed) return closedWatch;
      subscribe();
      const now = Date.now();
      // A change heard a moment ago, or one that could have been missed before the subscription
      // stood, may not be readable by the first read: the rereads it is owed still come.
      const heard = lastChange.get(lang);
      const pending: Wake[] =
        listeningSince === undefined || now - listeningSince < window
          ? wakesAfter(listeningSince ?? now, now + 1, "settled")
          : heard !== undefined && now - heard < window
            ? wakesAfter(heard, now + 1, "settled")
            : [];
      let notifyWaiter: (() => void) | undefined;
      const onWake = (wakes: Wake[]) => {
        pending.push(...wakes);
        notifyWaiter?.();
      };
      const set = watchers.get(lang) ?? new Set();
      set.add(onWake);
      watchers.set(lang, set);
      return {
        next(deadline) {
          return new Promise<WakeReason>((resolve) => {
            let timer: NodeJS.Timeout | undefined;
            const settle = (reason: WakeReason) => {
              clearTimeout(timer);
              notifyWaiter = undefined;
              resolve(reason);
            };
            const arm = () => {
              clearTimeout(timer);
              if (pending.some((wake) => wake.reason === "closing")) return settle("closing");
              pending.sort((a, b) => a.at - b.at);
              const first = pending[0];
              const at = first && first.at < deadline ? first.at : deadline;
              timer = setTimeout(
                () => {
                  if (first && first.at < deadline) {
                    pending.shift();
                    settle(first.reason);
                  } else settle("deadline");
                },
                Math.max(0, at - Date.now()),
              );
            };
            notifyWaiter = arm;
            arm();
          });
        },
        cancel: () => onWake([{ at: 0, reason: "closing" }]),
        close() {
          set.delete(onWake);
          if (set.size === 0) watchers.delete(lang);
        },
      };
    },
    async close() {
      closed = true;
      wakeAll(undefined, [{ at: 0, reason: "closing" }]);
      const ending = subscription;
      subscription = undefined;
      await ending?.close();
    },
  };
}

const closedWatch: ChangeWatch = {
  next: async () => "closing",
  cancel() {},
  close() {},
};
