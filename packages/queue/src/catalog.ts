import { z } from "zod";

/**
 * The one job catalog: queue → payload schema → attempts and backoff. Payloads are validated
 * when a worker takes them; new fields must be optional, since queued jobs outlive deploys.
 */
export const JOB_CATALOG = {
  poll: {
    payload: z.object({ sourceId: z.uuid(), force: z.boolean().optional(), requestId: z.string().optional() }),
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
} as const;

export type QueueName = keyof typeof JOB_CATALOG;
export const QUEUE_NAMES = Object.keys(JOB_CATALOG) as QueueName[];

export function isQueueName(name: string): name is QueueName {
  return Object.hasOwn(JOB_CATALOG, name);
}
export type JobPayload<Q extends QueueName> = z.output<(typeof JOB_CATALOG)[Q]["payload"]>;
