import { spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { join, resolve } from "node:path";
import { CodedError } from "@babelwire/core";
import { connectRedis, createQueues, startWorkers } from "@babelwire/queue";
import { clearQueuePrefix } from "@babelwire/runtime/testing";
import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { queueRows, registerQueues } from "./queues.ts";

const ROOT = resolve(import.meta.dirname, "../../../..");
const MAIN = join(ROOT, "services/cli/src/main.ts");
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = `{bwtest-${randomBytes(4).toString("hex")}}`;
const redis = connectRedis(REDIS_URL);
const queues = createQueues(redis, prefix);
const failedArticle = randomUUID();

/** `babelwire` as an operator runs it, with its output piped (no terminal). */
function babelwire(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ["--import", "tsx", MAIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: "silent", REDIS_URL, QUEUE_PREFIX: prefix, DATABASE_URL: "memory://" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", fail);
    child.on("close", (code) => done({ code, stdout, stderr }));
  });
}

/**
 * The same command in this process, for speed: each spawned `babelwire` starts tsx and every
 * service's imports. stdout is captured; a failure comes back as the CommandError it throws.
 */
async function queuesCommand(args: string[]): Promise<{ stdout: string; error?: Error }> {
  const program = new Command("babelwire").exitOverride();
  registerQueues(program);
  let stdout = "";
  const write = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  vi.stubEnv("REDIS_URL", REDIS_URL);
  vi.stubEnv("QUEUE_PREFIX", prefix);
  try {
    await program.parseAsync(["queues", ...args], { from: "user" });
    return { stdout };
  } catch (error) {
    return { stdout, error: error as Error };
  } finally {
    write.mockRestore();
    vi.unstubAllEnvs();
  }
}

beforeAll(async () => {
  // One translate job that fails for good, then two that wait, and a paused poll queue.
  let failed!: () => void;
  const failedOnce = new Promise<void>((resolve) => {
    failed = resolve;
  });
  const workers = startWorkers(
    {
      translate: async () => {
        throw new CodedError("ENGINE_QUOTA_EXCEEDED", "the engine's quota is spent", { permanent: true });
      },
    },
    { connection: redis, prefix, logger: { debug: () => {}, error: () => {} }, onJobDone: () => failed() },
  );
  await queues.enqueueTranslate({ articleId: failedArticle, articleVersion: 1, lang: "es" });
  await failedOnce;
  await workers.close();
  for (const lang of ["ca", "uk"]) await queues.enqueueTranslate({ articleId: randomUUID(), articleVersion: 1, lang });
  await queues.pause("poll");
});

afterAll(async () => {
  await queues.close();
  await clearQueuePrefix(redis, prefix);
  await redis.quit();
});

describe("babelwire queues", () => {
  it("prints the same table as GET /v1/queues, plain when piped", async () => {
    const run = await babelwire(["queues"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const [header, ...lines] = run.stdout.trimEnd().split("\n");
    expect(header?.split(/\s{2,}/)).toEqual(queueRows([])[0]);
    const row = (name: string) => lines.find((line) => line.startsWith(`${name} `))?.split(/\s{2,}/) ?? [];
    // QUEUE WAITING ACTIVE DELAYED FAILED COMPLETED PAUSED JOBS/MIN OLDEST WAIT WORKERS
    expect(row("translate").slice(0, 7)).toEqual(["translate", "2", "0", "0", "1", "0", "no"]);
    expect(row("poll")[6]).toBe("yes");
    expect(lines).toHaveLength(6);
    expect(run.stdout).not.toContain("\u001b");
  });

  it("lists failed jobs with their code and article, retries them, and resumes a paused queue", async () => {
    const failed = await queuesCommand(["failed", "translate"]);
    expect(failed.error).toBeUndefined();
    expect(failed.stdout).toContain("ENGINE_QUOTA_EXCEEDED");
    expect(failed.stdout).toContain(`article ${failedArticle}`);

    const retry = await queuesCommand(["retry", "translate"]);
    expect(retry.stdout.trim()).toBe("retried 1 failed translate jobs");
    expect(await queues.status("translate")).toMatchObject({ waiting: 3, failed: 0 });

    const resumed = await queuesCommand(["resume", "poll", "--json"]);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ name: "poll", paused: false });
    expect(await queues.status("poll")).toMatchObject({ paused: false });
  });

  it("refuses an unknown queue in one line, naming the queues there are", async () => {
    const run = await queuesCommand(["retry", "nosuch"]);
    expect(run.error?.message).toMatch(/^queues: no queue nosuch; the queues are poll, [a-z, ]+$/);
    expect((await queuesCommand(["failed", "translate", "--limit", "0"])).error?.message).toMatch(/--limit/);
  });
});
