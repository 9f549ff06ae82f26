import { randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import { createMetrics } from "@babelwire/metrics";
import { connectRedis, createQueues, startWorkers } from "@babelwire/queue";
import { createLogger } from "@babelwire/runtime";
import { clearQueuePrefix, testConfig } from "@babelwire/runtime/testing";
import { Queue, Worker } from "bullmq";
import type { Benchmark } from "../harness.ts";

const JOBS = Number(process.env.BENCH_QUEUE_JOBS ?? 2000);
/** The translate queue's concurrency, as in `pipeline`. */
const CONCURRENCY = 4;

/** Log lines are written as in production (info level, two per job) and thrown away here. */
const nowhere = new Writable({ write: (_chunk, _encoding, done) => done() });

/**
 * Jobs/s through Babelwire's own queue layer with handlers that do nothing: the catalog's job
 * options and deterministic ids on enqueue, payload validation, structured logs, job metrics
 * and heartbeats on the worker side. Next to bare BullMQ doing the same number of no-op jobs at
 * the same concurrency, it is the queue overhead issue 8 asks about, apart from the work the
 * handlers do (which `pipeline` includes).
 */
export const queueOverhead: Benchmark = {
  name: "queue-overhead",
  unit: "jobs/s",
  goal: { of: "ratio", op: ">=", target: 0.5 },
  rounds: 3,
  warmup: true,
  async setup() {
    const config = testConfig();
    const redis = connectRedis(config.REDIS_URL);
    const logger = createLogger("info", "bench", nowhere);
    const metrics = createMetrics();
    let round = 0;
    return {
      notes: [
        `${JOBS} translate jobs enqueued through createQueues (catalog options, deterministic ids) and run by startWorkers with a no-op handler at concurrency ${CONCURRENCY}: payload validation, info logs, job metrics, heartbeats`,
        `baseline: bare BullMQ, ${JOBS} no-op jobs added in bulk to one queue and run by one worker at concurrency ${CONCURRENCY}, same Redis`,
      ],
      async ours() {
        const prefix = `${config.QUEUE_PREFIX}-ours-${++round}`;
        const queues = createQueues(redis, prefix);
        // BullMQ leaves a connection it was given open: it is closed here, or the bench never exits.
        const connection = redis.duplicate();
        let done = 0;
        let finish: () => void = () => {};
        const finished = new Promise<void>((resolve) => {
          finish = resolve;
        });
        const workers = startWorkers(
          {
            translate: async () => {
              if (++done === JOBS) finish();
            },
          },
          {
            connection,
            prefix,
            logger,
            concurrency: { translate: CONCURRENCY },
            onJobDone: metrics.observeJob,
          },
        );
        const started = performance.now();
        await Promise.all(
          Array.from({ length: JOBS }, () =>
            queues.enqueueTranslate({ articleId: randomUUID(), articleVersion: 1, lang: "es" }),
          ),
        );
        await finished;
        const perSecond = JOBS / ((performance.now() - started) / 1000);
        await workers.close();
        connection.disconnect();
        await queues.close();
        await clearQueuePrefix(redis, prefix);
        return perSecond;
      },
      async baseline() {
        const prefix = `${config.QUEUE_PREFIX}-bare-${++round}`;
        const queue = new Queue("bare", { connection: redis, prefix });
        const connection = redis.duplicate();
        let done = 0;
        let finish: () => void = () => {};
        const finished = new Promise<void>((resolve) => {
          finish = resolve;
        });
        const worker = new Worker(
          "bare",
          async () => {
            if (++done === JOBS) finish();
          },
          { connection, prefix, concurrency: CONCURRENCY },
        );
        const started = performance.now();
        await queue.addBulk(Array.from({ length: JOBS }, (_, index) => ({ name: "noop", data: { index } })));
        await finished;
        const perSecond = JOBS / ((performance.now() - started) / 1000);
        await worker.close();
        connection.disconnect();
        await queue.close();
        await clearQueuePrefix(redis, prefix);
        return perSecond;
      },
      async close() {
        await clearQueuePrefix(redis, config.QUEUE_PREFIX);
        redis.disconnect();
      },
    };
  },
};
