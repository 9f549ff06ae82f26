import { Writable } from "node:stream";
import { type ApiApp, buildApp } from "@babelwire/api";
import { createToken } from "@babelwire/db";
import { createLogger, openRuntime, type Runtime } from "@babelwire/runtime";
import { clearQueuePrefix, testConfig } from "@babelwire/runtime/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let runtime: Runtime;
let app: ApiApp;
let lines = "";

beforeAll(async () => {
  runtime = await openRuntime(testConfig(), "secrets-test");
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines += chunk.toString();
      done();
    },
  });
  // The production logger (its redaction rules), at its most talkative, writing where the test can read.
  app = await buildApp({ ...runtime, logger: createLogger("trace", "api", sink) });
});

afterAll(async () => {
  await app?.close();
  await clearQueuePrefix(runtime.redis, runtime.config.QUEUE_PREFIX);
  await runtime?.close();
});

describe("secrets never reach a log line", () => {
  it("keeps tokens from headers, query strings, bodies and errors out of the logs", async () => {
    const { token: admin } = await createToken(runtime.db, { role: "admin" });
    const { token: partner } = await createToken(runtime.db, { role: "partner" });
    const unknown = "bw_thisTokenIsNotKnownToTheServer000000000";
    await app.inject({ method: "GET", url: "/v1/sources", headers: { authorization: `Bearer ${admin}` } });
    await app.inject({ method: "GET", url: `/v1/feeds/es.rss?token=${partner}` });
    await app.inject({ method: "GET", url: `/v1/feeds/es.rss?limit=5&token=${unknown}` });
    await app.inject({ method: "GET", url: "/v1/sources", headers: { authorization: `Bearer ${unknown}` } });
    await app.inject({ method: "GET", url: "/v1/sources", headers: { cookie: `session=${admin}` } });
    const created = await app.inject({
      method: "POST",
      url: "/v1/tokens",
      headers: { authorization: `Bearer ${admin}` },
      payload: { role: "editor" },
    });
    const issued = created.json().token as string;
    expect(issued).toMatch(/^bw_/);
    await app.inject({
      method: "POST",
      url: "/v1/sources",
      headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" },
      payload: `{"url": "not a url", "token": "${partner}"`,
    });
    // Every request was logged (the check below would be empty otherwise)…
    expect(lines.split("\n").filter((line) => line.includes('"req"')).length).toBeGreaterThanOrEqual(6);
    expect(lines).toContain("[redacted]");
    // …and no secret is in any line.
    for (const secret of [admin, partner, unknown, issued]) expect(lines).not.toContain(secret);
  });
});
