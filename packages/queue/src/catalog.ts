import { z } from "zod";

/**
 * The one job catalog: queue → payload schema → attempts and backoff. Payloads are validated
 * when a worker takes them; new fields must be optional, since queued jobs outlive deploys.
 */
export const JOB_CATALOG = {
  poll: {
    payload: z.object({
      sourceId: z.uuid(),
      force: z.boolean().optional(),
      requestId: z.string().optional(),
      /** A body a WebSub hub pushed (a source_pushes row): ingested instead of fetching the feed. */
      pushId: z.uuid().optional(),
    }),
    // A failed poll is recorded on the source and retried by the next scheduled run, not by BullMQ.
    attempts: 1,
    backoffMs: 0,
    concurrency: 4,
  },
  extract: {
    payload: z.object({
      articleId: z.uuid(),
      articleVersion: z.number().int().positive(),
      requestId: z.string().optional(),
    }),
    // Pages fail transiently; after the last attempt the feed's own text is used.
    attempts: 3,
    backoffMs: 5_000,
    concurrency: 4,
  },
  translate: {
    payload: z.object({
      articleId: z.uuid(),
      articleVersion: z.number().int().positive(),
      lang: z.string().min(2),
      requestId: z.string().optional(),
      /** Set when an editor sends a translation back: a new job for the same article version. */
      retranslation: z.number().int().positive().optional(),
    }),
    attempts: 8,
    backoffMs: 2_000,
    concurrency: 2,
  },
  summarize: {
    payload: z.object({ articleId: z.uuid(), articleVersion: z.number().int().positive() }),
    attempts: 5,
    backoffMs: 2_000,
    concurrency: 2,
  },
  publish: {
    payload: z.object({ translationId: z.uuid(), requestId: z.string().optional() }),
    attempts: 10,
    backoffMs: 1_000,
    concurrency: 4,
  },
  deliver: {
    /** The `deliveries` row to send: it names the partner, the event and the translation. */
    payload: z.object({
      deliveryId: z.uuid(),
      /**
       * A WebSub hub job instead of a webhook: `verify` a subscriber's intent (deliveryId is the
       * intent's id) or send a subscription its feed's new `content` (a websub_deliveries row).
       */
      websub: z.enum(["verify", "content"]).optional(),
    }),
    // A partner's endpoint may be down for a day: waits double from a minute up to an hour
    // (1, 2, 4 … 32 min, then hourly), so the 32nd and last attempt comes ~26 h after the first
    // (see retrySpanMs) and a receiver back up is reached within the hour.
    attempts: 32,
    backoffMs: 60_000,
    backoffCapMs: 3_600_000,
    concurrency: 8,
  },
} as const;

export type QueueName = keyof typeof JOB_CATALOG;
export const QUEUE_NAMES = Object.keys(JOB_CATALOG) as QueueName[];

export function isQueueName(name: string): name is QueueName {
  return Object.hasOwn(JOB_CATALOG, name);
}
export type JobPayload<Q extends QueueName> = z.output<(typeof JOB_CATALOG)[Q]["payload"]>;

/** The backoff type of queues whose catalog entry caps the wait; the workers compute it (see startWorkers). */
export const CAPPED_BACKOFF = "capped";

/** The longest wait between two attempts of a queue's job, where the catalog caps it. */
export function backoffCapMs(name: QueueName): number | undefined {
  const entry = JOB_CATALOG[name];
  return "backoffCapMs" in entry ? entry.backoffCapMs : undefined;
}

/**
 * The wait before retry number `attemptsMade` (1 after the first failure): `baseMs` doubled
 * each time, never above `capMs`. BullMQ's own exponential backoff has no cap.
 */
export function cappedRetryDelayMs(baseMs: number, capMs: number, attemptsMade: number): number {
  return Math.min(capMs, baseMs * 2 ** Math.max(0, attemptsMade - 1));
}

/** How long after its first attempt a job that always fails makes its last one. */
export function retrySpanMs(name: QueueName): number {
  const entry = JOB_CATALOG[name];
  const cap = backoffCapMs(name) ?? Number.POSITIVE_INFINITY;
  let total = 0;
  for (let made = 1; made < entry.attempts; made++) total += cappedRetryDelayMs(entry.backoffMs, cap, made);
  return total;
}
