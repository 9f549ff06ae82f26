import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { connectRedis } from "@babelwire/queue";
import { clearQueuePrefix } from "@babelwire/runtime/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCommand } from "../testing/run-command.ts";
import { registerGlossary } from "./glossary.ts";
import { registerSources } from "./sources.ts";
import { registerTokens } from "./tokens.ts";

/**
 * The operator's commands beside the API's routes: sources checked at the door, paused,
 * updated, polled, removed, exchanged as OPML; tokens and glossary terms listed and removed;
 * every listing as JSON Lines with --json, every failure one line `babelwire: <CODE>: <message>`.
 */

const ROOT = resolve(import.meta.dirname, "../../../..");
const MAIN = join(ROOT, "services/cli/src/main.ts");
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = `{bwtest-${randomBytes(4).toString("hex")}}`;
const redis = connectRedis(REDIS_URL);
const dataDir = mkdtempSync(join(tmpdir(), "bw-cli-sources-"));
// File sources may only read the feed files folder: the data folder here.
const env = { DATA_DIR: dataDir, FEED_FILES_DIR: dataDir, REDIS_URL, QUEUE_PREFIX: prefix, LOG_LEVEL: "silent" };

const rss = (title: string) => `<?xml version="1.0"?><rss version="2.0"><channel><title>${title}</title>
<link>https://wire.example/</link><language>en</language>
<item><title>Leaders met</title><guid>w-1</guid><description>The leaders met in Brussels on Monday and agreed on aid.</description></item>
</channel></rss>`;

let server: Server;
let origin: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url === "/wire.xml")
      response.writeHead(200, { "content-type": "application/rss+xml" }).end(rss("Wire"));
    else if (request.url === "/other.xml")
      response.writeHead(200, { "content-type": "application/rss+xml" }).end(rss("Other"));
    else response.writeHead(404).end();
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server?.close();
  await clearQueuePrefix(redis, prefix);
  await redis.quit();
});

const sources = (...args: string[]) => runCommand(registerSources, ["sources", ...args], env);
const tokens = (...args: string[]) => runCommand(registerTokens, ["tokens", ...args], env);
const glossary = (...args: string[]) => runCommand(registerGlossary, ["glossary", ...args], env);

/** Poll jobs waiting for a source: a new one has exactly one, the first tick of its schedule. */
async function waitingPolls(sourceId: string): Promise<number> {
  let count = 0;
  for (const id of await redis.lrange(`${prefix}:poll:wait`, 0, -1)) {
    const data = await redis.hget(`${prefix}:poll:${id}`, "data");
    if (data && JSON.parse(data).sourceId === sourceId) count++;
  }
  return count;
}

async function scheduled(sourceId: string): Promise<boolean> {
  return (await redis.zscore(`${prefix}:poll:repeat`, `poll.${sourceId}`)) !== null;
}

describe("sources add checks the source first", { timeout: 240_000 }, () => {
  it("refuses what is not a feed in one line with its code, and --no-check stores it anyway", async () => {
    const notAUrl = join(dataDir, "not-a-url");
    const refused = await sources("add", notAUrl);
    expect(refused.error).toMatch(/^babelwire: FEED_FILE_NOT_FOUND: /);
    expect((await sources("list", "--json")).stdout).toBe("");
    const unchecked = await sources("add", notAUrl, "--no-check");
    expect(unchecked.error).toBeUndefined();
    expect(JSON.parse(unchecked.stdout).url).toBe(notAUrl);
    // Outside the feed files folder, nothing is read or stored.
    const outside = await sources("add", "not-a-url", "--no-check");
    expect(outside.error).toMatch(/^babelwire: invalid_request: url: a file source must be inside FEED_FILES_DIR/);
  });

  it("refuses a target no engine reaches, naming the pairs there are", async () => {
    const run = await sources("add", `${origin}/wire.xml`, "--language", "en", "--targets", "de");
    expect(run.error).toMatch(
      /^babelwire: unsupported_target: No engine of TRANSLATION_ENGINES translates from en into de\. /,
    );
    expect(run.error).toContain("en→es");
  });

  it("adds a feed under its own title and polls it once", async () => {
    const run = await sources("add", `${origin}/wire.xml`);
    expect(run.error).toBeUndefined();
    const added = JSON.parse(run.stdout);
    expect(added).toMatchObject({ url: `${origin}/wire.xml`, name: "Wire", paused: false });
    expect(await waitingPolls(added.id)).toBe(1);
  });
});

describe("sources pause, resume, update, poll, remove", { timeout: 240_000 }, () => {
  it("pauses and resumes a source: its schedule goes and comes back, its health says so", async () => {
    const { id } = JSON.parse((await sources("add", `${origin}/other.xml`)).stdout);
    const paused = JSON.parse((await sources("pause", id)).stdout);
    expect(paused).toMatchObject({ id, paused: true, health: { state: "paused" } });
    expect(await scheduled(id)).toBe(false);
    expect((await sources("poll", id)).error).toMatch(/^babelwire: SOURCE_PAUSED: /);
    const resumed = JSON.parse((await sources("resume", id)).stdout);
    expect(resumed).toMatchObject({ paused: false, health: { state: "active" } });
    expect(await scheduled(id)).toBe(true);
    expect((await sources("poll", id)).stdout.trim()).toBe(`poll of ${id} queued`);

    const updated = JSON.parse((await sources("update", id, "--name", "Other wire", "--interval", "10m")).stdout);
    expect(updated).toMatchObject({ name: "Other wire", interval: "10m" });
    expect((await sources("update", id, "--targets", "de", "--language", "en")).error).toMatch(
      /^babelwire: unsupported_target: /,
    );

    expect((await sources("remove", id)).stdout.trim()).toBe(`removed ${id}`);
    expect(await scheduled(id)).toBe(false);
    expect((await sources("remove", id)).error).toBe(`babelwire: NOT_FOUND: sources remove: no source ${id}`);
    expect((await sources("pause", "nope")).error).toBe(
      "babelwire: INVALID_ARGUMENT: sources pause: <id> must be a source id",
    );
  });
});

describe("sources export and import as OPML", { timeout: 240_000 }, () => {
  it("exports every source, and imports a file: new feeds added, known ones left, broken ones reported", async () => {
    const exported = await sources("export");
    expect(exported.stdout).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<opml version="2.0">/);
    expect(exported.stdout).toContain(`xmlUrl="${origin}/wire.xml"`);
    expect(exported.stdout).toContain('text="Wire"');

    const file = join(dataDir, "subscriptions.opml");
    writeFileSync(
      file,
      `<?xml version="1.0"?><opml version="2.0"><head><title>Reader</title></head><body>
        <outline text="News"><outline type="rss" text="Other agency" xmlUrl="${origin}/other.xml" language="en"/></outline>
        <outline type="rss" text="Wire" xmlUrl="${origin}/wire.xml"/>
        <outline type="rss" text="Gone" xmlUrl="${origin}/gone.xml"/>
      </body></opml>`,
    );
    const run = await sources("import", file, "--json");
    expect(run.error).toBeUndefined();
    const result = JSON.parse(run.stdout);
    expect(result.added.map((source: { url: string; name: string }) => [source.url, source.name])).toEqual([
      [`${origin}/other.xml`, "Other agency"],
    ]);
    expect(result.existing).toEqual([`${origin}/wire.xml`]);
    expect(result.failed).toEqual([expect.objectContaining({ url: `${origin}/gone.xml`, code: "FEED_HTTP_404" })]);
    const listed = (await sources("list", "--json")).stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line).url);
    expect(listed).toEqual(expect.arrayContaining([`${origin}/other.xml`, `${origin}/wire.xml`]));
  });
});

describe("tokens list and revoke, glossary list and remove", { timeout: 240_000 }, () => {
  it("lists tokens without secrets and revokes one", async () => {
    const secret = (await tokens("create", "--role", "editor", "--label", "desk")).stdout.trim();
    const listed = (await tokens("list", "--json")).stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    const desk = listed.find((token: { label: string | null }) => token.label === "desk");
    expect(desk).toMatchObject({ role: "editor", revokedAt: null });
    expect(JSON.stringify(listed)).not.toContain(secret);
    expect((await tokens("list")).stdout.split("\n")[0]).toMatch(/^ID\s+ROLE\s+PARTNER\s+LABEL/);
    expect((await tokens("revoke", desk.id)).stdout.trim()).toBe(`revoked ${desk.id}`);
    const after = (await tokens("list", "--json")).stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(after.find((token: { id: string }) => token.id === desk.id)?.revokedAt).toEqual(expect.any(String));
    expect((await tokens("revoke", desk.id)).error).toBe(
      `babelwire: NOT_FOUND: tokens revoke: no live token ${desk.id}`,
    );
  });

  it("lists a pair's glossary and removes a term", async () => {
    const csv = join(dataDir, "terms.csv");
    writeFileSync(csv, 'term,translation\n"Donald Trump","Donald Trump"\nKyiv,Kiev\n');
    expect((await glossary("import", csv, "--from", "en", "--to", "es")).error).toBeUndefined();
    const listed = (await glossary("list", "--from", "en", "--to", "es", "--json")).stdout.trim().split("\n");
    expect(listed.map((line) => JSON.parse(line).term).sort()).toEqual(["Donald Trump", "Kyiv"]);
    expect((await glossary("remove", "Kyiv", "--from", "en", "--to", "es")).error).toBeUndefined();
    const table = (await glossary("list", "--from", "en", "--to", "es")).stdout;
    expect(table).toContain("Donald Trump");
    expect(table).not.toContain("Kyiv");
    expect((await glossary("remove", "Kyiv", "--from", "en", "--to", "es")).error).toMatch(/^babelwire: NOT_FOUND: /);
  });
});

describe("the real process", () => {
  async function run(args: string[], extra: Record<string, string> = {}) {
    const child = spawn(process.execPath, ["--import", "tsx", MAIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env, ...extra },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const code = await new Promise<number | null>((done) => child.on("close", done));
    return { code, stderr };
  }

  it("prints one line and exits 1 for a source that is not a feed (the use case refused it)", {
    timeout: 120_000,
  }, async () => {
    const { code, stderr } = await run(["sources", "add", join(dataDir, "not-a-feed-either")]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^babelwire: FEED_FILE_NOT_FOUND: [^\n]+\n$/);
  });

  it("refuses to start on every address without PUBLIC_BASE_URL, in one line asking for it", {
    timeout: 120_000,
  }, async () => {
    const { code, stderr } = await run(["start"], { HOST: "0.0.0.0", PUBLIC_BASE_URL: "" });
    expect(code).toBe(2);
    expect(stderr).toMatch(/^babelwire: CONFIG_INVALID: PUBLIC_BASE_URL: required when HOST is 0\.0\.0\.0 [^\n]+\n$/);
  });
});
