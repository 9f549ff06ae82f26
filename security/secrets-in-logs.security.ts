import { Writable } from "node:stream";
import { type ApiApp, buildApp } from "@babelwire/api";
import { createToken, getTranslation } from "@babelwire/db";
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
    // The router decodes parameter names: `%74oken` is `token` to it, so it must be to the log too.
    const spelled = "bw_spelledAnotherWayToken000000000000000";
    await app.inject({ method: "GET", url: `/v1/feeds/es.rss?%74oken=${spelled}` });
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
    for (const secret of [admin, partner, unknown, issued, spelled]) expect(lines).not.toContain(secret);
  });

  it("keeps a database error's bound values, and credentials in URLs, out of the error's log line", async () => {
    let logged = "";
    const sink = new Writable({
      write(chunk, _encoding, done) {
        logged += chunk.toString();
        done();
      },
    });
    const logger = createLogger("info", "api", sink);
    const secret = "whsec_0123456789abcdefghijklmnopqrstuv";
    // A value the database refuses (not a uuid): PGlite's error carries it as a bound parameter.
    const error = await getTranslation(runtime.db, secret).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(Error);
    logger.error({ err: error }, "request failed");
    const feedUrl = "https://ana:pa55word@wire.example/feed.xml?api_key=K3y0123456789&lang=en";
    logger.error({ err: new Error(`could not add ${feedUrl}`) }, "source creation failed");
    expect(logged).toContain("22P02");
    expect(logged).toContain("wire.example/feed.xml");
    for (const leaked of [secret, "pa55word", "K3y0123456789"]) expect(logged).not.toContain(leaked);
  });
});
