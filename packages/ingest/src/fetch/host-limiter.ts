/**
 * Caps how many requests one process has in flight to one host, so that a hundred sources on
 * one agency's server, polled in the same minute, do not arrive there all at once. Waiters are
 * served first come, first served. Each process keeps one limiter and hands it to every fetch.
 */
export interface HostLimiter {
  /** Runs `task` once fewer than the limit of tasks for `host` are running; `signal` abandons the wait. */
  run<T>(host: string, task: () => Promise<T>, signal?: AbortSignal): Promise<T>;
}

export const DEFAULT_HOST_CONCURRENCY = 2;

interface HostQueue {
  active: number;
  waiting: Array<() => void>;
}

export function createHostLimiter(limit: number = DEFAULT_HOST_CONCURRENCY): HostLimiter {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`The per-host limit must be a positive integer.`);
  const hosts = new Map<string, HostQueue>();

  const release = (host: string, queue: HostQueue): void => {
    const next = queue.waiting.shift();
    if (next) {
      next();
      return;
    }
    queue.active--;
    // Idle hosts are forgotten, so a long-lived process does not keep one entry per host it ever saw.
    if (queue.active === 0) hosts.delete(host);
  };

  const acquire = (host: string, signal: AbortSignal | undefined): Promise<HostQueue> => {
    const key = host.toLowerCase();
    const queue = hosts.get(key) ?? { active: 0, waiting: [] };
    hosts.set(key, queue);
    if (queue.active < limit) {
      queue.active++;
      return Promise.resolve(queue);
    }
    return waitForTurn(queue, signal);
  };

  return {
    async run(host, task, signal) {
      signal?.throwIfAborted();
      const queue = await acquire(host, signal);
      try {
        return await task();
      } finally {
        release(host.toLowerCase(), queue);
      }
    },
  };
}

/** A slot handed over by `release` keeps `active` as it is: the finishing task's slot becomes ours. */
function waitForTurn(queue: HostQueue, signal: AbortSignal | undefined): Promise<HostQueue> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      queue.waiting.splice(queue.waiting.indexOf(turn), 1);
      reject(signal?.reason);
    };
    const turn = (): void => {
      signal?.removeEventListener("abort", onAbort);
      resolve(queue);
    };
    queue.waiting.push(turn);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
