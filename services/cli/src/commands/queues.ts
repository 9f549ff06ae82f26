import { formatDuration } from "@babelwire/core";
import {
  type FailedJob,
  isQueueName,
  QUEUE_NAMES,
  type QueueCounts,
  type QueueName,
  type Queues,
} from "@babelwire/queue";
import type { Command } from "commander";
import { tryQueues } from "../cli-queues.ts";
import { cliConfig } from "../cli-runtime.ts";
import { CommandError } from "../fail.ts";
import { table } from "../table.ts";

/** The same columns as `GET /v1/queues`, one row per queue. */
export function queueRows(items: QueueCounts[]): string[][] {
  const rows = [
    ["QUEUE", "WAITING", "ACTIVE", "DELAYED", "FAILED", "COMPLETED", "PAUSED", "JOBS/MIN", "OLDEST WAIT", "WORKERS"],
  ];
  for (const item of items) {
    rows.push([
      item.name,
      String(item.waiting),
      String(item.active),
      String(item.delayed),
      String(item.failed),
      String(item.completed),
      item.paused ? "yes" : "no",
      String(item.jobsPerMinute),
      item.oldestWaitingSeconds > 0 ? formatDuration(item.oldestWaitingSeconds) : "-",
      workersCell(item),
    ]);
  }
  return rows;
}

/** How many processes, and on which hosts: enough to tell whether a machine dropped out. */
function workersCell(item: QueueCounts): string {
  if (item.workers.length === 0) return "0";
  const hosts = [...new Set(item.workers.map((worker) => worker.host))];
  return `${item.workers.length} (${hosts.join(", ")})`;
}

/** What a failed job was about, from its payload: the article, source, translation or delivery. */
function about(job: FailedJob): string {
  for (const key of ["articleId", "sourceId", "translationId", "deliveryId"]) {
    const value = job.data[key];
    if (typeof value === "string") return `${key.replace(/Id$/, "")} ${value}`;
  }
  return "-";
}

function queueNamed(name: string): QueueName {
  if (!isQueueName(name)) throw new CommandError(`queues: no queue ${name}; the queues are ${QUEUE_NAMES.join(", ")}`);
  return name;
}

/** Runs `work` with the queues, or fails in one line when Redis does not answer. */
async function withQueues<T>(work: (queues: Queues) => Promise<T>): Promise<T> {
  const config = cliConfig();
  const redis = await tryQueues(config);
  if (!redis) {
    throw new CommandError(
      `queues: Redis does not answer at ${new URL(config.REDIS_URL).host}`,
      1,
      "REDIS_UNAVAILABLE",
    );
  }
  try {
    return await work(redis.queues);
  } finally {
    await redis.close();
  }
}

function printQueue(item: QueueCounts, json: boolean | undefined): void {
  process.stdout.write(json ? `${JSON.stringify(item)}\n` : `${table(queueRows([item]))}\n`);
}

export function registerQueues(program: Command): void {
  const queues = program.command("queues").description("watch and steer the job queues (as GET /v1/queues)");

  queues
    .command("list", { isDefault: true })
    .description("every queue's counts, throughput, backlog age and live workers")
    .option("--json", "JSON Lines instead of a table")
    .action(async (options: { json?: boolean }) => {
      const items = await withQueues((all) => all.counts());
      if (options.json) {
        for (const item of items) process.stdout.write(`${JSON.stringify(item)}\n`);
        return;
      }
      process.stdout.write(`${table(queueRows(items))}\n`);
    });

  queues
    .command("failed <queue>")
    .description("a queue's failed jobs, newest first, with their error codes")
    .option("--limit <n>", "how many (1–500)", "20")
    .option("--json", "JSON Lines instead of a table")
    .action(async (name: string, options: { limit: string; json?: boolean }) => {
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
        throw new CommandError("queues failed: --limit must be a whole number from 1 to 500");
      }
      const jobs = await withQueues((all) => all.listFailed(queueNamed(name), limit));
      if (options.json) {
        for (const job of jobs) process.stdout.write(`${JSON.stringify(job)}\n`);
        return;
      }
      const rows = [["JOB", "CODE", "ABOUT", "ATTEMPTS", "FAILED AT", "REASON"]];
      for (const job of jobs) {
        const reason = job.failedReason.length > 100 ? `${job.failedReason.slice(0, 99)}…` : job.failedReason;
        rows.push([job.id, job.code ?? "-", about(job), String(job.attemptsMade), job.finishedOn ?? "-", reason]);
      }
      process.stdout.write(`${table(rows)}\n`);
    });

  queues
    .command("retry <queue>")
    .description("send every failed job of a queue back to waiting, with fresh attempts")
    .action(async (name: string) => {
      const retried = await withQueues((all) => all.retryFailed(queueNamed(name)));
      process.stdout.write(`retried ${retried} failed ${name} jobs\n`);
    });

  for (const action of ["pause", "resume"] as const) {
    queues
      .command(`${action} <queue>`)
      .description(
        action === "pause"
          ? "stop every worker, everywhere, from taking this queue's jobs (running ones finish)"
          : "let workers take this queue's jobs again",
      )
      .option("--json", "the queue as JSON")
      .action(async (name: string, options: { json?: boolean }) => {
        const item = await withQueues(async (all) => {
          const queue = queueNamed(name);
          await all[action](queue);
          return all.status(queue);
        });
        printQueue(item, options.json);
      });
  }
}
