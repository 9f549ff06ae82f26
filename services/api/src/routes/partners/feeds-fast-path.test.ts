import { Agent, request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { connect } from "node:net";
import { createPartner, createSource, createToken, upsertArticle } from "@babelwire/db";
import { publishTestTranslation, testArticle } from "@babelwire/db/testing";
import { openRuntime, type Runtime } from "@babelwire/runtime";
import { clearQueuePrefix, testConfig } from "@babelwire/runtime/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiApp, buildApp } from "../../app.ts";
import { wallClockFrom } from "./feeds-fast-path.ts";

/** Large enough for leases of 10 requests: with a lease of 1 every partner request goes to Redis, and so to Fastify. */
const LIMIT = 500;
let runtime: Runtime;
let app: ApiApp;
let base: string;
let partnerToken: string;
let fastifyRequests = 0;

beforeAll(async () => {
  runtime = await openRuntime(testConfig({ PARTNER_RATE_LIMIT: `${LIMIT}/min` }), "feeds-fast-path-test");
  app = await buildApp(runtime);
  // Counts what reaches Fastify: what the fast path answers never does.
  app.addHook("onRequest", async () => {
    fastifyRequests += 1;
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  const partner = await createPartner(runtime.db, { name: "Diario", languages: ["es"] });
  partnerToken = (await createToken(runtime.db, { role: "partner", partnerId: partner.id })).token;
  const source = await createSource(runtime.db, { url: "https://example.org/feed", targets: ["es", "fr"] });
  for (const guid of ["a", "b", "c"]) {
    const { id } = await upsertArticle(runtime.db, source.id, testArticle(guid, { title: `Story ${guid}` }));
    await publishTestTranslation(runtime.db, id, "es", `Historia ${guid} ${"texto ".repeat(200)}`);
    await publishTestTranslation(runtime.db, id, "fr", `Histoire ${guid}`);
  }
  await until(() => app.feedGenerations.live);
});

afterAll(async () => {
  await app?.close();
  await clearQueuePrefix(runtime.redis, runtime.config.QUEUE_PREFIX);
  await runtime?.close();
});

async function until(probe: () => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error("timed out waiting for the feed subscription");
    await new Promise((done) => setTimeout(done, 5));
  }
}

/** Over real HTTP (the fast path sits in front of Fastify, which app.inject bypasses). */
async function get(path: string, token: string | undefined, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}${path}`, {
    headers: { ...(token && { authorization: `Bearer ${token}` }), "accept-encoding": "identity", ...headers },
  });
  return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
}

const SHARED_HEADERS = ["content-type", "etag", "last-modified", "cache-control", "vary", "x-ratelimit-limit"];

describe("cached feeds answered before Fastify", () => {
  it("answers a cached feed from memory with the bytes and headers Fastify gave", async () => {
    const admin = (await createToken(runtime.db, { role: "admin" })).token;
    for (const [token, format] of [
      [admin, "atom"],
      [partnerToken, "json"],
    ] as const) {
      const before = fastifyRequests;
      const first = await get(`/v1/feeds/es.${format}?limit=10`, token);
      expect(fastifyRequests).toBe(before + 1);
      const second = await get(`/v1/feeds/es.${format}?limit=10`, token);
      expect(fastifyRequests).toBe(before + 1);
      expect(second.status).toBe(200);
      expect(second.body.equals(first.body)).toBe(true);
      for (const name of SHARED_HEADERS)
        expect([name, second.headers.get(name)]).toEqual([name, first.headers.get(name)]);
      expect(second.headers.get("x-request-id")).toMatch(/^[\w.-]+$/);
      expect(second.headers.get("x-request-id")).not.toBe(first.headers.get("x-request-id"));
      const current = await get(`/v1/feeds/es.${format}?limit=10`, token, {
        "if-none-match": String(first.headers.get("etag")),
      });
      expect(current.status).toBe(304);
      expect(current.body.length).toBe(0);
      expect(fastifyRequests).toBe(before + 1);
    }
  });

  it("counts fast requests against the rate limit and leaves the 429 to Fastify, headers unchanged", async () => {
    const partner = await createPartner(runtime.db, { name: "Limited", languages: ["es"] });
    const token = (await createToken(runtime.db, { role: "partner", partnerId: partner.id })).token;
    const remaining: (string | null)[] = [];
    const before = fastifyRequests;
    for (let request = 0; request < LIMIT; request++) {
      const response = await get("/v1/feeds/es.rss", token);
      expect(response.status).toBe(200);
      remaining.push(response.headers.get("x-ratelimit-remaining"));
    }
    expect(remaining).toEqual(Array.from({ length: LIMIT }, (_, index) => String(LIMIT - index - 1)));
    // Most were answered from memory: Fastify saw the first and those that waited for a lease.
    expect(fastifyRequests - before).toBeLessThan(LIMIT / 2);
    const refused = await get("/v1/feeds/es.rss", token);
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.body.toString()).error.code).toBe("rate_limited");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get("x-ratelimit-remaining")).toBe("0");
  });

  it("leaves every refusal and anything unusual to Fastify", async () => {
    await get("/v1/feeds/es.rss", partnerToken);
    expect((await get("/v1/feeds/es.rss", "bw_unknown")).status).toBe(401);
    expect((await get("/v1/feeds/es.rss", undefined)).status).toBe(401);
    const outside = await get("/v1/feeds/fr.rss", partnerToken);
    expect(outside.status).toBe(403);
    expect(JSON.parse(outside.body.toString()).error.code).toBe("not_entitled");
    expect((await get("/v1/feeds/es.rss?limit=101", partnerToken)).status).toBe(400);
    expect((await get("/v1/feeds/es.rss?source=not-a-uuid", partnerToken)).status).toBe(400);
    // A query parameter the route does not know: Fastify's answer, whatever the route makes of it.
    const before = fastifyRequests;
    const unknown = await get("/v1/feeds/es.rss?_=123", partnerToken);
    expect(fastifyRequests).toBe(before + 1);
    expect(unknown.status).toBe((await app.inject({ url: "/v1/feeds/es.rss?_=123", headers: bearer() })).statusCode);
  });

  it("answers each URL a keep-alive connection asks for in turn as its own", async () => {
    // One connection asking for two feeds by turns: the fast path remembers the connection's
    // last URL, and must read the new one whenever it changes.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const paths = ["/v1/feeds/es.rss?limit=2", "/v1/feeds/es.atom?limit=2", "/v1/feeds/es.json?limit=2"];
    const expected = await Promise.all(paths.map((path) => get(path, partnerToken)));
    const ports = new Set<number>();
    const before = fastifyRequests;
    for (let turn = 0; turn < 9; turn++) {
      const index = turn % paths.length;
      const answer = await new Promise<{ type: string | undefined; body: Buffer; port: number }>((resolve, reject) => {
        const outgoing = httpRequest(
          `${base}${paths[index]}`,
          { agent, headers: { authorization: `Bearer ${partnerToken}` } },
          (response) => {
            // Read now: once the answer has ended, the socket goes back to the agent.
            const port = response.socket.localPort ?? 0;
            const chunks: Buffer[] = [];
            response.on("data", (chunk: Buffer) => chunks.push(chunk));
            response.on("end", () =>
              resolve({ type: response.headers["content-type"], body: Buffer.concat(chunks), port }),
            );
          },
        );
        outgoing.on("error", reject).end();
      });
      ports.add(answer.port);
      expect(answer.type).toBe(expected[index]?.headers.get("content-type"));
      expect(answer.body.equals(expected[index]?.body ?? Buffer.alloc(0))).toBe(true);
    }
    agent.destroy();
    expect(ports.size).toBe(1);
    expect(fastifyRequests).toBe(before);
  });

  it("sees a publish, a revocation and a token's expiry on the next request of the same connection", async () => {
    // The fast path keeps what it read for a connection's last request while the token cache
    // and the feed cache stay unchanged: every change must reach the very next request. Each
    // token polls over a connection of its own, as a reader does.
    const partner = await createPartner(runtime.db, { name: "Heraldo", languages: ["es"] });
    const expiresAt = new Date(Date.now() + 5000);
    const readers = await Promise.all(
      [null, expiresAt].map(async (expires) => ({
        token: await createToken(runtime.db, { role: "partner", partnerId: partner.id, expiresAt: expires }),
        agent: new Agent({ keepAlive: true, maxSockets: 1 }),
      })),
    );
    const [revoked, expiring] = readers as [(typeof readers)[0], (typeof readers)[0]];
    const path = "/v1/feeds/es.rss?limit=50";
    const ask = async (reader: typeof revoked) => {
      const before = fastifyRequests;
      const answer = await onConnection(reader.agent, path, reader.token.token);
      return { ...answer, fastify: fastifyRequests - before };
    };
    for (const reader of readers) {
      await ask(reader);
      expect((await ask(reader)).fastify).toBe(0);
    }
    const source = await createSource(runtime.db, { url: "https://example.org/later", targets: ["es"] });
    const { id } = await upsertArticle(runtime.db, source.id, testArticle("later", { title: "Later story" }));
    await publishTestTranslation(runtime.db, id, "es", "Historia tardía");
    await app.feedGenerations.bump("es");
    for (const reader of readers) expect((await ask(reader)).body.toString()).toContain("Historia tardía");
    for (const reader of readers) expect((await ask(reader)).fastify).toBe(0);
    const admin = (await createToken(runtime.db, { role: "admin" })).token;
    const revoke = await app.inject({
      method: "DELETE",
      url: `/v1/tokens/${revoked.token.row.id}`,
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(revoke.statusCode).toBe(204);
    expect((await ask(revoked)).status).toBe(401);
    expect((await ask(expiring)).status).toBe(200);
    await new Promise((done) => setTimeout(done, Math.max(0, expiresAt.getTime() - Date.now() + 50)));
    expect((await ask(expiring)).status).toBe(401);
    for (const reader of readers) reader.agent.destroy();
  });

  it("counts what it answers in the HTTP metrics, by route and status, as Fastify would", async () => {
    const first = await get("/v1/feeds/es.rss?limit=3", partnerToken);
    const conditional = { "if-none-match": String(first.headers.get("etag")) };
    const series = (status: number) => `route="/v1/feeds/:lang.rss",status="${status}"`;
    const count = async (status: number) => {
      const line = (await runtime.metrics.render())
        .split("\n")
        .find((each) => each.startsWith("babelwire_http_requests_total{") && each.includes(series(status)));
      return Number(line?.split(" ").at(-1) ?? 0);
    };
    const [ok, notModified] = [await count(200), await count(304)];
    const before = fastifyRequests;
    for (let request = 0; request < 3; request++)
      expect((await get("/v1/feeds/es.rss?limit=3", partnerToken, conditional)).status).toBe(304);
    expect((await get("/v1/feeds/es.rss?limit=3", partnerToken)).status).toBe(200);
    expect(fastifyRequests).toBe(before);
    expect([await count(200), await count(304)]).toEqual([ok + 1, notModified + 3]);
  });

  it("reads the headers it needs in any case, and leaves one sent twice to Fastify", async () => {
    // Header names as a client wrote them (node's rawHeaders): the fast path reads those, not
    // the object node would build.
    const path = "/v1/feeds/es.rss?limit=4";
    const etag = String((await get(path, partnerToken)).headers.get("etag"));
    const ask = async (lines: string[]) => {
      const before = fastifyRequests;
      const status = await rawStatus(path, lines);
      return { status, fastify: fastifyRequests - before };
    };
    const auth = `Authorization: Bearer ${partnerToken}`;
    expect(await ask([`AUTHORIZATION: Bearer ${partnerToken}`, `If-None-Match: ${etag}`])).toEqual({
      status: 304,
      fastify: 0,
    });
    expect(await ask([auth, `iF-mOdIfIeD-sInCe: ${new Date(Date.now() + 60_000).toUTCString()}`])).toEqual({
      status: 304,
      fastify: 0,
    });
    // Repeated: node joins two If-None-Match lines into a list, which holds the current tag.
    expect(await ask([auth, 'If-None-Match: "other"', `if-none-match: ${etag}`])).toEqual({ status: 304, fastify: 1 });
    // Node keeps the first Authorization of two.
    expect(await ask([auth, "authorization: Bearer bw_unknown"])).toEqual({ status: 200, fastify: 1 });
    // (Refused by the auth hook, which runs before the hook counting what reaches Fastify.)
    expect((await ask(["authorization: Bearer bw_unknown", auth])).status).toBe(401);
  });

  it("gives each 304 on a keep-alive connection its own rate-limit count and request id", async () => {
    const path = "/v1/feeds/es.rss?limit=6";
    const etag = String((await get(path, partnerToken)).headers.get("etag"));
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const answers: Awaited<ReturnType<typeof onConnection>>[] = [];
    const before = fastifyRequests;
    for (let turn = 0; turn < 5; turn++) {
      answers.push(await onConnection(agent, path, partnerToken, { "if-none-match": etag }));
    }
    agent.destroy();
    expect(fastifyRequests).toBe(before);
    expect(answers.map((answer) => answer.status)).toEqual([304, 304, 304, 304, 304]);
    const remaining = answers.map((answer) => Number(answer.headers["x-ratelimit-remaining"]));
    expect(remaining.slice(1).map((count, index) => (remaining[index] ?? 0) - count)).toEqual([1, 1, 1, 1]);
    expect(new Set(answers.map((answer) => answer.headers["x-request-id"])).size).toBe(5);
  });

  it("sends the compressed copy from memory once it exists", async () => {
    const first = await get("/v1/feeds/es.rss?limit=5", partnerToken, { "accept-encoding": "br" });
    expect(first.headers.get("content-encoding")).toBe("br");
    const before = fastifyRequests;
    const second = await get("/v1/feeds/es.rss?limit=5", partnerToken, { "accept-encoding": "br" });
    expect(fastifyRequests).toBe(before);
    expect(second.headers.get("content-encoding")).toBe("br");
    // fetch decodes brotli: the same feed both times, decoded.
    expect(second.body.equals(first.body)).toBe(true);
    expect(second.body.toString()).toContain("Historia");
  });
});

const bearer = () => ({ authorization: `Bearer ${partnerToken}` });

/** One GET over the agent's connection (an agent of one socket keeps asking on the same one). */
function onConnection(
  agent: Agent,
  path: string,
  token: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      `${base}${path}`,
      { agent, headers: { authorization: `Bearer ${token}`, ...headers } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    outgoing.on("error", reject).end();
  });
}

/** The status of a GET written byte for byte, with these header lines, over a connection of its own. */
function rawStatus(path: string, lines: string[]): Promise<number> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: ${hostname}\r\n${lines.join("\r\n")}\r\nConnection: close\r\n\r\n`);
    });
    const chunks: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", reject);
    socket.on("end", () => resolve(Number(Buffer.concat(chunks).toString("latin1").split(" ")[1])));
  });
}

describe("wallClockFrom", () => {
  it("gives the wall clock from monotonic readings, reading Date.now() again once a millisecond has passed", () => {
    const wall = wallClockFrom();
    const start = performance.now();
    const first = wall(start);
    expect(Math.abs(first - Date.now())).toBeLessThan(5);
    // Within the millisecond: the time since the last reading is added to it.
    expect(wall(start + 0.5)).toBe(first + 0.5);
    // A millisecond on: Date.now() again (here far behind the made-up monotonic reading).
    expect(Math.abs(wall(start + 10_000) - Date.now())).toBeLessThan(5);
  });
});
