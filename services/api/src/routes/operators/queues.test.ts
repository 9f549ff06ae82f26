import { randomUUID } from "node:crypto";
import { CodedError } from "@babelwire/core";
import { createSource, createToken } from "@babelwire/db";
import type { Workers } from "@babelwire/queue";
import { type Runtime, startService } from "@babelwire/runtime";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ApiApp } from "../../app.ts";
import { openTestApp, type TestApp } from "../../testing/test-app.ts";

let testApp: TestApp;
let runtime: Runtime;
let app: ApiApp;
let admin: string;
let editor: string;
let service: Workers | undefined;

beforeAll(async () => {
  testApp = await openTestApp("queues-test");
  ({ runtime, app } = testApp);
  admin = (await createToken(runtime.db, { role: "admin" })).token;
  editor = (await createToken(runtime.db, { role: "editor" })).token;
});

afterEach(async () => {
  await service?.close();
  service = undefined;
});

afterAll(() => testApp?.close());

const asAdmin = () => ({ authorization: `Bearer ${admin}` });

interface QueueItem {
  name: string;
  waiting: number;
  failed: number;
  completed: number;
  paused: boolean;
  jobsPerMinute: number;
  oldestWaitingSeconds: number;
  workers: Array<{ host: string; pid: number; lastSeen: string }>;
}

async function queueItem(name: string): Promise<QueueItem> {
  const response = await app.inject({ method: "GET", url: "/v1/queues", headers: asAdmin() });
  expect(response.statusCode).toBe(200);
  const item = (response.json().items as QueueItem[]).find((queue) => queue.name === name);
  if (!item) throw new Error(`no queue ${name} in /v1/queues`);
  return item;
}

async function until(name: string, done: (item: QueueItem) => boolean): Promise<QueueItem> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const item = await queueItem(name);
    if (done(item)) return item;
    if (Date.now() > deadline) throw new Error(`queue ${name} never got there: ${JSON.stringify(item)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("operators' queue control", () => {
  it("shows failed jobs with their code and article, and retry runs them again to completion", async () => {
    const articles = [randomUUID(), randomUUID()];
    let engineDown = true;
    service = await startService(runtime, {
      handlers: {
        translate: async () => {
          if (engineDown)
            throw new CodedError("ENGINE_QUOTA_EXCEEDED", "the engine's quota is spent", { permanent: true });
        },
      },
    });
    for (const articleId of articles)
      await runtime.queues.enqueueTranslate({ articleId, articleVersion: 1, lang: "es" });

    const failedQueue = await until("translate", (item) => item.failed === 2);
    expect(failedQueue).toMatchObject({ waiting: 0, completed: 0, paused: false, jobsPerMinute: 0 });
    expect(failedQueue.workers).toContainEqual(expect.objectContaining({ pid: process.pid }));

    const failed = await app.inject({ method: "GET", url: "/v1/queues/translate/failed?limit=10", headers: asAdmin() });
    expect(failed.statusCode).toBe(200);
    const body = failed.json();
    expect(body.nextCursor).toBeNull();
    expect(body.items).toHaveLength(2);
    for (const item of body.items) {
      expect(item).toMatchObject({ code: "ENGINE_QUOTA_EXCEEDED", attemptsMade: 1, data: { lang: "es" } });
      expect(item.failedReason).toContain("the engine's quota is spent");
    }
    expect(body.items.map((item: { data: { articleId: string } }) => item.data.articleId).sort()).toEqual(
      [...articles].sort(),
    );
    const limited = await app.inject({ method: "GET", url: "/v1/queues/translate/failed?limit=1", headers: asAdmin() });
    expect(limited.json().items).toHaveLength(1);

    engineDown = false;
    const retried = await app.inject({ method: "POST", url: "/v1/queues/translate/retry", headers: asAdmin() });
    expect(retried.statusCode).toBe(200);
    expect(retried.json()).toEqual({ retried: 2 });
    const done = await until("translate", (item) => item.completed === 2);
    expect(done).toMatchObject({ failed: 0, waiting: 0, jobsPerMinute: 2 });
  });

  it("pauses a queue so waiting jobs stay put, and resumes it", async () => {
    const paused = await app.inject({ method: "POST", url: "/v1/queues/summarize/pause", headers: asAdmin() });
    expect(paused.statusCode).toBe(200);
    expect(paused.json()).toMatchObject({ name: "summarize", paused: true });
    const ran: string[] = [];
    service = await startService(runtime, {
      handlers: {
        summarize: async (payload) => {
          ran.push(payload.articleId);
        },
      },
    });
    const articleId = randomUUID();
    await runtime.queues.enqueueSummarize({ articleId, articleVersion: 1 });
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const waiting = await queueItem("summarize");
    expect(waiting).toMatchObject({ paused: true, waiting: 1 });
    expect(waiting.oldestWaitingSeconds).toBeGreaterThanOrEqual(1);
    expect(ran).toEqual([]);

    const resumed = await app.inject({ method: "POST", url: "/v1/queues/summarize/resume", headers: asAdmin() });
    expect(resumed.statusCode).toBe(200);
    expect(resumed.json()).toMatchObject({ name: "summarize", paused: false });
    await until("summarize", (item) => item.completed === 1);
    expect(ran).toEqual([articleId]);
  });

  it.each([
    ["GET", "/v1/queues/nope/failed"],
    ["POST", "/v1/queues/nope/retry"],
    ["POST", "/v1/queues/nope/pause"],
    ["POST", "/v1/queues/__proto__/resume"],
  ] as const)("answers %s %s for an unknown queue with 404 not_found", async (method, url) => {
    const response = await app.inject({ method, url, headers: asAdmin() });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe("not_found");
  });

  it("keeps queue control to admins", async () => {
    const asEditor = { authorization: `Bearer ${editor}` };
    expect((await app.inject({ method: "POST", url: "/v1/queues/poll/pause", headers: asEditor })).statusCode).toBe(
      403,
    );
    expect((await app.inject({ method: "GET", url: "/v1/queues/poll/failed" })).statusCode).toBe(401);
    expect((await queueItem("poll")).paused).toBe(false);
  });

  it("refuses a limit outside 1–500 with 400", async () => {
    const response = await app.inject({ method: "GET", url: "/v1/queues/poll/failed?limit=0", headers: asAdmin() });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.field).toBe("limit");
  });

  it("carries the request id into the job a request enqueues, and back in the response header", async () => {
    const source = await createSource(runtime.db, { url: `https://example.org/${randomUUID()}.xml`, targets: ["es"] });
    const response = await app.inject({
      method: "POST",
      url: `/v1/sources/${source.id}/poll`,
      headers: { ...asAdmin(), "x-request-id": "ops-req-7" },
    });
    expect(response.statusCode).toBeLessThan(300);
    expect(response.headers["x-request-id"]).toBe("ops-req-7");
    const poll = runtime.queues.dashboardQueues().find((queue) => queue.name === "poll");
    const waiting = (await poll?.getWaiting(0, 50)) ?? [];
    expect(waiting.map((job) => job.data)).toContainEqual({ sourceId: source.id, force: true, requestId: "ops-req-7" });
  });

  it("documents every queue route in the OpenAPI document", async () => {
    const paths = (await app.inject({ method: "GET", url: "/docs/json" })).json().paths;
    expect(Object.keys(paths)).toEqual(
      expect.arrayContaining([
        "/v1/queues",
        "/v1/queues/{name}/failed",
        "/v1/queues/{name}/retry",
        "/v1/queues/{name}/pause",
        "/v1/queues/{name}/resume",
        "/metrics",
      ]),
    );
    const item = paths["/v1/queues"].get.responses["200"].content["application/json"].schema.properties.items.items;
    expect(Object.keys(item.properties)).toEqual(
      expect.arrayContaining(["jobsPerMinute", "oldestWaitingSeconds", "workers"]),
    );
  });
});
