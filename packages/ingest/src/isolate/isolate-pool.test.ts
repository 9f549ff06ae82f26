import { CodedError } from "@babelwire/core";
import { repeatTo } from "@babelwire/core/linear-time";
import { sanitizeBody } from "@babelwire/html";
import { afterAll, describe, expect, it } from "vitest";
import { readableContent } from "../extract/readable-content.ts";
import { createIsolatePool, ISOLATE_CRASHED, ISOLATE_TIMEOUT } from "./isolate-pool.ts";

const STORY = "Kyiv hosted the ministers of twelve countries for talks on grain exports on Monday. ".repeat(12);
const PAGE = `<html><head><title>Grain talks</title></head><body><article><h1>Grain talks</h1><p>${STORY}</p><p><a href="/next">Next</a></p></article></body></html>`;
// A page Readability needs seconds for, linear as it now is: many thousands of blocks.
const SLOW_PAGE = `<html><body><article><p>${STORY}</p>${repeatTo("<div><p>word word word word.</p></div>", 1_500_000)}</article></body></html>`;

const pools: { close(): Promise<void> }[] = [];
afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.close()));
});

function pool(options: Parameters<typeof createIsolatePool>[0] = {}) {
  const created = createIsolatePool(options);
  pools.push(created);
  return created;
}

/** The longest the event loop went without running a 10 ms timer while `work` ran. */
async function longestStall(work: Promise<unknown>): Promise<number> {
  let last = performance.now();
  let longest = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 10);
  try {
    await work.catch(() => undefined);
  } finally {
    clearInterval(ticker);
  }
  // The work may end a block and resolve before the ticker gets its turn: the last gap counts too.
  return Math.max(longest, performance.now() - last);
}

describe("createIsolatePool", () => {
  it("sanitizes a body and reads a page in a worker exactly as in the process", async () => {
    const isolate = pool({ size: 1 });
    const html = `<p>Hello <script>x()</script><a href="/a" onclick="y()">there</a></p>`;
    expect(await isolate.run({ step: "sanitize", html, baseUrl: "https://news.example/" })).toEqual(
      sanitizeBody(html, "https://news.example/"),
    );
    const inline = readableContent(PAGE, "https://news.example/grain");
    const page = await isolate.run({ step: "readable", html: PAGE, pageUrl: "https://news.example/grain" });
    expect(page?.title).toBe(inline?.title);
    expect(page?.body).toEqual(sanitizeBody(inline?.html ?? "", "https://news.example/grain"));
    expect(page?.body.text).toContain("twelve countries");
    expect(page?.body.html).toContain('href="https://news.example/next"');
  });

  it("fails a step past its time limit with CONTENT_TIME_LIMIT, and runs the next on a fresh worker", async () => {
    const isolate = pool({ size: 1, timeoutMs: 300 });
    await isolate.run({ step: "sanitize", html: "<p>warm</p>", baseUrl: null });
    const started = performance.now();
    const stuck = isolate.run({ step: "readable", html: SLOW_PAGE, pageUrl: "https://news.example/slow" });
    const next = isolate.run({ step: "sanitize", html: "<p>after</p>", baseUrl: null });
    const error = await stuck.then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(CodedError);
    expect((error as CodedError).code).toBe(ISOLATE_TIMEOUT);
    expect((error as CodedError).permanent).toBe(true);
    // Terminated at the limit, not left to finish: generous for a loaded machine, far below the page's seconds.
    expect(performance.now() - started).toBeLessThan(2_500);
    expect((await next).html).toBe("<p>after</p>");
  });

  it("fails a step whose worker runs out of memory with CONTENT_WORKER_FAILED, and runs the next", async () => {
    // A worker starts (loader and modules) in well under 48 MB, but cannot hold Readability's DOM of a 1.5 MB page in it.
    const isolate = pool({ size: 1, heapMb: 48 });
    const error = await isolate.run({ step: "readable", html: SLOW_PAGE, pageUrl: "https://news.example/slow" }).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect((error as CodedError).code).toBe(ISOLATE_CRASHED);
    expect((await isolate.run({ step: "sanitize", html: "<p>after</p>", baseUrl: null })).html).toBe("<p>after</p>");
  });

  it("keeps the event loop free while a worker reads a heavy page", async () => {
    const isolate = pool({ size: 1 });
    await isolate.run({ step: "sanitize", html: "<p>warm</p>", baseUrl: null });
    const inlineStall = await longestStall(
      new Promise((resolve) => setTimeout(() => resolve(readableContent(SLOW_PAGE, "https://news.example/slow")), 20)),
    );
    const isolatedStall = await longestStall(
      isolate.run({ step: "readable", html: SLOW_PAGE, pageUrl: "https://news.example/slow" }),
    );
    // Inline, the loop stops for the whole read; in the pool it only copies the page across.
    expect(inlineStall).toBeGreaterThan(1_000);
    expect(isolatedStall).toBeLessThan(inlineStall / 4);
  });
});
