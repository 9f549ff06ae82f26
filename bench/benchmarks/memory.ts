import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { clearQueuePrefix } from "@babelwire/runtime/testing";
import { Redis } from "ioredis";
import { adminApi } from "../fixtures/admin-api.ts";
import { buildFeed, serveFeed } from "../fixtures/build-feed.ts";
import { type ChildMeasure, type SystemChild, startSystemChild } from "../fixtures/system-child.ts";
import type { Benchmark } from "../harness.ts";

/** 1,000 articles a round (docs/benchmarks.md); BENCH_MEMORY_ARTICLES makes a quicker run for a look. */
const ARTICLES = Number(process.env.BENCH_MEMORY_ARTICLES ?? 1000);
const ADMIN_TOKEN = `bench-memory-${randomBytes(8).toString("hex")}`;
const MB = 1024 * 1024;

const mb = (bytes: number) => Math.round((bytes / MB) * 10) / 10;

interface QueueRow {
  name: string;
  waiting: number;
  active: number;
  delayed: number;
}

/**
 * Memory of the all-in-one process, a child started with `--expose-gc` (system-process.ts),
 * PGlite on disk under its DATA_DIR as `npm start` runs by default, the zero-cost engine. Each
 * round adds a source whose feed holds `ARTICLES` items and waits until every one is published
 * and the queues are idle, then forces a full GC in the child and reads its heap and RSS.
 * Value: heap used after GC after the round; baseline: the same after the first `ARTICLES`
 * (an unrecorded warm-up round: pools, caches and JIT filled); ratio ≤ 1.1 is "flat".
 */
export const memory: Benchmark = {
  name: "memory",
  unit: "MB heap after GC",
  goal: { of: "ratio", op: "<=", target: 1.1 },
  rounds: 3,
  warmup: false,
  async setup() {
    const { server: feedServer, base: feedBase } = await serveFeed(buildFeed(ARTICLES));
    const dir = await mkdtemp(path.join(tmpdir(), "babelwire-memory-"));
    const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
    const prefix = `{bench-memory-${randomBytes(4).toString("hex")}}`;
    let child: SystemChild;
    try {
      child = await startSystemChild({
        dir,
        engine: "echo",
        env: {
          DATA_DIR: path.join(dir, "data"),
          REDIS_URL: redisUrl,
          QUEUE_PREFIX: prefix,
          HOST: "127.0.0.1",
          PORT: "0",
          TARGET_LANGUAGES: "es",
          ADMIN_TOKEN,
          LOG_LEVEL: "warn",
        },
      });
    } catch (error) {
      feedServer.close();
      throw error;
    }
    const started = await child.measure();
    let feeds = 0;

    const api = adminApi(child.url, ADMIN_TOKEN, "memory");
    /** Nothing waiting, running or due for retry, but the poll ticks the scheduler keeps delayed. */
    const idle = async () => {
      const answer = await api<QueueRow[] | { items: QueueRow[] }>("/v1/queues");
      const queues = Array.isArray(answer) ? answer : answer.items;
      return queues.every((queue) => queue.waiting + queue.active === 0 && (queue.name === "poll" || !queue.delayed));
    };
    /** `ARTICLES` more articles through poll → store → translate → summarize → publish. */
    const oneRound = async (): Promise<ChildMeasure> => {
      feeds++;
      await api("/v1/sources?check=false", {
        url: `${feedBase}/feed-${feeds}.xml`,
        language: "en",
        targets: ["es"],
        review: "auto",
        fullText: "never",
        interval: "1h",
      });
      const deadline = Date.now() + 900_000;
      while (!((await child.published()) >= feeds * ARTICLES && (await idle()))) {
        if (Date.now() > deadline) throw new Error(`memory: round ${feeds} not through in 15 min\n${child.logTail()}`);
        await new Promise((done) => setTimeout(done, 500));
      }
      return child.measure();
    };

    let warm: ChildMeasure;
    try {
      warm = await oneRound();
    } catch (error) {
      await child.stop();
      feedServer.close();
      throw error;
    }
    const rounds: ChildMeasure[] = [];
    const notes = [
      `all-in-one process (startSystem, echo engine) in a child with --expose-gc, PGlite on disk under its DATA_DIR (npm start's default), this machine's Redis; each round a new source whose feed holds ${ARTICLES} items, through until all are published and the queues idle; full GC (twice) in the child before each reading`,
      `value: heap used after GC after each round; baseline: the same after the first ${ARTICLES} articles (warm-up, unrecorded); ratio ≤ 1.1 = flat`,
      `after start: RSS ${mb(started.rss)} MB, heap ${mb(started.heapUsed)} MB; after the first ${ARTICLES} articles: RSS ${mb(warm.rss)} MB, heap ${mb(warm.heapUsed)} MB`,
    ];
    return {
      notes,
      async ours() {
        const measured = await oneRound();
        rounds.push(measured);
        return mb(measured.heapUsed);
      },
      baseline: async () => mb(warm.heapUsed),
      async close() {
        await child.stop();
        feedServer.close();
        const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
        await clearQueuePrefix(redis, prefix);
        redis.disconnect();
        await rm(dir, { recursive: true, force: true });
        notes.push(
          `after each further ${ARTICLES}: ${rounds
            .map(
              (round, index) =>
                `${(index + 2) * ARTICLES} articles RSS ${mb(round.rss)} MB, heap ${mb(round.heapUsed)} MB, external ${mb(round.external)} MB`,
            )
            .join("; ")}`,
        );
      },
    };
  },
};
