import type { RedisClient } from "@babelwire/queue";
import { feedChangesChannel } from "@babelwire/syndicate";

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
   * How long after its commit a change becomes readable in the `changes` order (the database's
   * settle window), plus a margin: a woken reader reads no sooner than this after the message.
   */
  settleMs: number;
  onError?: (error: unknown) => void;
}

interface Wake {
  at: number;
  reason: WakeReason;
}

/**
 * Listens on the feed-changes channel with one subscriber connection per API process, opened on
 * the first long-poll, and wakes the held requests of the changed language. Messages arrive the
 * moment a change commits, but the `changes` order shows it only once it has settled, so a
 * message schedules a read `settleMs` later rather than at once.
 */
export function createChangeListener(options: ChangeListenerOptions): ChangeListener {
  const { redis, prefix, settleMs } = options;
  const channel = feedChangesChannel(prefix);
  const watchers = new Map<string, Set<(wake: Wake) => void>>();
  /** When each language last changed, as this process heard it; decides whether a new watch must read again. */
  const lastChange = new Map<string, number>();
  let subscriber: RedisClient | undefined;
  /** Since when no message can have been missed; undefined while (re)subscribing. */
  let listeningSince: number | undefined;
  let closed = false;

  const wakeAll = (lang: string | undefined, wake: Wake) => {
    const targets = lang === undefined ? [...watchers.values()] : [watchers.get(lang) ?? new Set()];
    for (const set of targets) for (const notify of set) notify(wake);
  };

  const subscribe = () => {
    if (subscriber) return;
    subscriber = redis.duplicate();
    subscriber.on("error", (error) => options.onError?.(error));
    subscriber.on("message", (_channel: string, lang: string) => {
      const now = Date.now();
      lastChange.set(lang, now);
      wakeAll(lang, { at: now + settleMs, reason: "changed" });
    });
    // Whatever was published while the connection was down is lost: every held request reads
    // once more when that window has settled. ioredis subscribes again on its own after a
    // reconnect, on the same connection as the "ready" it announces.
    const listening = () => {
      const now = Date.now();
      listeningSince = now;
      wakeAll(undefined, { at: now + settleMs, reason: "settled" });
    };
    let subscribedOnce = false;
    subscriber.on("ready", () => {
      if (subscribedOnce) listening();
    });
    subscriber.on("close", () => {
      listeningSince = undefined;
    });
    subscriber
      .subscribe(channel)
      .then(() => {
        subscribedOnce = true;
        listening();
      })
      .catch((error: unknown) => options.onError?.(error));
  };

  return {
    watch(lang) {
      if (closed) return closedWatch;
      subscribe();
      const now = Date.now();
      const pending: Wake[] = [];
      // A change heard in the last settle window, or one that could have been missed before the
      // subscription stood, is not readable yet: read again once it is.
      const heard = lastChange.get(lang);
      if (listeningSince === undefined || now - listeningSince < settleMs) {
        pending.push({ at: (listeningSince ?? now) + settleMs, reason: "settled" });
      } else if (heard !== undefined && now - heard < settleMs) {
        pending.push({ at: heard + settleMs, reason: "settled" });
      }
      let notifyWaiter: (() => void) | undefined;
      const onWake = (wake: Wake) => {
        pending.push(wake);
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
        cancel: () => onWake({ at: 0, reason: "closing" }),
        close() {
          set.delete(onWake);
          if (set.size === 0) watchers.delete(lang);
        },
      };
    },
    async close() {
      closed = true;
      wakeAll(undefined, { at: 0, reason: "closing" });
      const connection = subscriber;
      subscriber = undefined;
      await connection?.quit().catch(() => connection.disconnect());
    },
  };
}

const closedWatch: ChangeWatch = {
  next: async () => "closing",
  cancel() {},
  close() {},
};
