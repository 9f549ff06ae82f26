import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { clearQueuePrefix, testConfig } from "@babelwire/runtime/testing";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { type RunningSystem, startSystem } from "./start/start-system.ts";

const ROOT = resolve(import.meta.dirname, "../../..");
const MAIN = join(ROOT, "services/cli/src/main.ts");
const SAMPLE = join(ROOT, "examples/feeds/ukrinform-sample.xml");

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `babelwire` as a user would: a separate process, arguments, stdin, environment. */
function babelwire(args: string[], options: { stdin?: string; env?: Record<string, string> } = {}): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ["--import", "tsx", MAIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: "silent", ...options.env },
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
    child.stdin.end(options.stdin ?? "");
  });
}

describe("babelwire command line", () => {
  it("prints help naming every command", async () => {
    const run = await babelwire(["--help"]);
    expect(run.code).toBe(0);
    for (const command of [
      "start",
      "sources",
      "queues",
      "ingest",
      "translate",
      "summarize",
      "tokens",
      "partners",
      "glossary",
      "memory",
      "migrate",
    ]) {
      expect(run.stdout).toContain(command);
    }
  });

  it("translates stdin to Spanish with Apertium, paragraph by paragraph", async () => {
    const run = await babelwire(["translate", "--from", "en", "--to", "es"], {
      stdin: "The world is big.\n\nThe house is red.\n",
      env: { DATABASE_URL: "memory://" },
    });
    expect(run.code).toBe(0);
    const paragraphs = run.stdout.trim().split("\n\n");
    expect(paragraphs).toHaveLength(2);
    expect(paragraphs[0]).toMatch(/mundo/);
    expect(paragraphs[1]).toMatch(/casa/);
  });

  it("imports a glossary that the next translation follows", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "bw-cli-"));
    const csv = join(dataDir, "names.csv");
    writeFileSync(csv, 'term,translation\n"Donald Trump","Donald Trump"\n');
    const imported = await babelwire(["glossary", "import", csv, "--from", "en", "--to", "es"], {
      env: { DATA_DIR: dataDir },
    });
    expect(imported.stdout).toContain("imported 1 terms");
    expect(imported.code).toBe(0);
    const run = await babelwire(["translate", "--from", "en", "--to", "es"], {
      stdin: "Donald Trump met the prime minister.\n",
      env: { DATA_DIR: dataDir },
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Donald Trump");
    expect(run.stdout).not.toContain("Triunfo");
    const broken = await babelwire(["glossary", "import", join(dataDir, "missing.csv"), "--from", "en", "--to", "es"]);
    expect(broken.code).not.toBe(0);
    expect(broken.stderr).toContain("cannot read");
  }, 180_000); // three processes, each opening and migrating the on-disk database

  it("lists the translation memory a translation left and forgets an entry", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "bw-cli-memory-"));
    const env = { DATA_DIR: dataDir };
    await babelwire(["translate", "--from", "en", "--to", "es"], { stdin: "The house is red.\n", env });
    const listed = await babelwire(["memory", "list", "--from", "en", "--to", "es", "--origin", "machine"], { env });
    expect(listed.code).toBe(0);
    const entries = listed.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(entries).toEqual([expect.objectContaining({ origin: "machine", source: "The house is red." })]);
    const removed = await babelwire(["memory", "remove", entries[0].id, "--from", "en", "--to", "es"], { env });
    expect(removed.stdout).toContain(`removed ${entries[0].id}`);
    const again = await babelwire(["memory", "remove", entries[0].id, "--from", "en", "--to", "es"], { env });
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain("no en→es entry");
  }, 180_000); // four processes, each opening and migrating the on-disk database

  it("refuses a bad language tag with one line and a non-zero exit", async () => {
    const run = await babelwire(["translate", "--from", "english!", "--to", "es"], { stdin: "x" });
    expect(run.code).not.toBe(0);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toContain("--from");
  });

  it("prints the sample feed's normalized articles as JSON Lines without touching a database", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "bw-cli-"));
    const run = await babelwire(["ingest", SAMPLE, "--dry-run"], { env: { DATA_DIR: dataDir } });
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    const article = JSON.parse(lines[0] ?? "{}");
    expect(article).toMatchObject({
      guid: "ukrinform-3926170",
      language: "en",
      publishedAt: "2024-11-07T12:21:00.000Z",
    });
    expect(article.url).not.toContain("utm_");
    expect(article.contentHtml).toContain("<p>");
    for (const key of [
      "title",
      "summary",
      "contentText",
      "updatedAt",
      "authors",
      "categories",
      "media",
      "contentHash",
    ]) {
      expect(article).toHaveProperty(key);
    }
  });

  it("exits 2 with the error code first when a feed cannot be read", async () => {
    const run = await babelwire(["ingest", join(ROOT, "README.md"), "--dry-run"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^babelwire: FEED_[A-Z_]+: [^\n]+\n$/);
  });

  // Five runs of the command, each opening the database: slow on a busy machine.
  it("adds, lists and removes partners, and issues a partner token for one", { timeout: 240_000 }, async () => {
    const env = { DATA_DIR: mkdtempSync(join(tmpdir(), "bw-cli-")) };
    const args = ["partners", "add", "El Diario", "--languages", "ES,ca", "--webhook", "https://hooks.example.org/"];
    const added = await babelwire(args, { env });
    expect(added.stderr).toBe("");
    expect(added.code).toBe(0);
    const partner = JSON.parse(added.stdout);
    expect(partner).toMatchObject({ name: "El Diario", languages: ["es", "ca"], sources: null });
    expect(partner.secret).toMatch(/^whsec_/);
    const listed = await babelwire(["partners", "list", "--json"], { env });
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout.trim())).toMatchObject({
      id: partner.id,
      webhookUrl: "https://hooks.example.org/",
    });
    expect(listed.stdout).not.toContain(partner.secret);

    const bad = await babelwire(["partners", "add", "X", "--languages", "spanish!"], { env });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    expect(bad.stderr).toContain("spanish!");
    const token = await babelwire(["tokens", "create", "--role", "partner", "--partner", partner.id], { env });
    expect(token.code).toBe(0);
    expect(token.stdout).toMatch(/^bw_/);
    const removed = await babelwire(["partners", "remove", partner.id], { env });
    expect([removed.code, removed.stdout.trim()]).toEqual([0, `removed ${partner.id}`]);
  });

  it("stops on a bad configuration value with one line naming the variable", async () => {
    const run = await babelwire(["migrate"], { env: { PORT: "not-a-port", DATABASE_URL: "memory://" } });
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toMatch(/^babelwire: CONFIG_INVALID: PORT: /);
  });
});

describe("babelwire start", () => {
  it("serves, then shuts down gracefully on SIGTERM with exit code 0", async () => {
    const config = testConfig();
    const child = spawn(process.execPath, ["--import", "tsx", MAIN, "start"], {
      cwd: ROOT,
      env: {
        ...process.env,
        LOG_LEVEL: "silent",
        DATA_DIR: config.DATA_DIR,
        PORT: "0",
        QUEUE_PREFIX: config.QUEUE_PREFIX,
      },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    const url = await new Promise<string>((done, fail) => {
      child.stderr.on("data", (chunk) => {
        stderr += chunk;
        const match = /running at (http:\/\/\S+)/.exec(stderr);
        if (match?.[1] && stderr.includes("Admin token")) done(match[1]);
      });
      child.once("exit", (code) => fail(new Error(`start exited early with ${code}`)));
    });
    // The banner goes to stderr, apart from the logs; with no terminal the one-time token goes to
    // a file only its owner can read, and the banner says where, never the token itself.
    expect(stdout).not.toContain("Babelwire is running");
    const tokenFile = join(config.DATA_DIR, "admin-token");
    expect(stderr).toContain(`Admin token written to ${resolve(tokenFile)} (mode 0600`);
    const token = readFileSync(tokenFile, "utf8").trim();
    expect(token).toMatch(/^bw_/);
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    expect(stderr + stdout).not.toContain(token);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    const redis = new Redis(config.REDIS_URL);
    await clearQueuePrefix(redis, config.QUEUE_PREFIX);
    await redis.quit();
  });
});

describe("commands beside a running `start` on the same DATA_DIR", () => {
  let system: RunningSystem | undefined;

  afterAll(async () => {
    if (!system) return;
    await clearQueuePrefix(system.runtime.redis, system.runtime.config.QUEUE_PREFIX);
    await system.stop();
  });

  it("reach the embedded database through the running process instead of failing", async () => {
    const config = testConfig({ DATABASE_URL: "" });
    system = await startSystem(config);
    const env = { DATA_DIR: config.DATA_DIR, QUEUE_PREFIX: config.QUEUE_PREFIX };
    const added = await babelwire(["sources", "add", SAMPLE, "--review", "required", "--name", "Sample"], { env });
    expect(added.stderr).toBe("");
    expect(added.code).toBe(0);
    const { id } = JSON.parse(added.stdout);
    const listed = await babelwire(["sources", "list", "--json"], { env });
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(id);
    const rows = await system.runtime.db.selectFrom("sources").select(["id", "name"]).execute();
    expect(rows).toEqual([{ id, name: "Sample" }]);
    const token = await babelwire(["tokens", "create", "--role", "editor"], { env });
    expect(token.stdout.trim()).toMatch(/^bw_/);
  });
});
