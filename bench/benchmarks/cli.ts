import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildIfNeeded } from "../../cluster/support/services.ts";
import { createDatabase, type FreshDatabase } from "../../faults/support/postgres.ts";
import { repoRoot } from "../fixtures/repo-paths.ts";
import type { Benchmark } from "../harness.ts";

const CLI = () => path.join(repoRoot(), "services/cli/dist/babelwire.js");

/** Wall seconds of one command run to its end (start-up included, as a person at a terminal waits). */
function timed(
  command: string,
  args: string[],
  options: { cwd: string; env?: Record<string, string>; input?: string },
) {
  return new Promise<{ seconds: number; stdout: string }>((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? options.cwd, ...options.env },
      stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk) => (stdout += chunk));
    child.stderr?.on("data", (chunk) => (stderr += chunk));
    child.stdin?.end(options.input);
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) reject(new Error(`bench: ${command} ${args.join(" ")} exited with ${code}: ${stderr}`));
      else resolve({ seconds: (performance.now() - started) / 1000, stdout });
    });
  });
}

/** `babelwire --help` from the built CLI, against a bare `node -e 0`: what the CLI's own start-up costs. */
export const cliHelp: Benchmark = {
  name: "cli-help",
  unit: "s",
  goal: { of: "excess", op: "<=", target: 0.5 },
  rounds: 7,
  warmup: true,
  async setup() {
    await buildIfNeeded();
    const cwd = await mkdtemp(path.join(tmpdir(), "babelwire-cli-"));
    return {
      notes: [
        "ours: `node services/cli/dist/babelwire.js --help` (the built CLI; `pnpm babelwire` adds pnpm's own start and a build check), wall time to exit",
        "baseline: `node -e 0`, the same node",
      ],
      async ours() {
        const { seconds, stdout } = await timed(process.execPath, [CLI(), "--help"], { cwd });
        if (!stdout.includes("translate")) throw new Error("bench: --help did not list the commands");
        return seconds;
      },
      baseline: async () => (await timed(process.execPath, ["-e", "0"], { cwd })).seconds,
      close: () => rm(cwd, { recursive: true, force: true }),
    };
  },
};

/**
 * `babelwire translate --from en --to es` of one sentence on an existing PostgreSQL database,
 * against one `apertium eng-spa` call over the same sentence. Each round's sentence carries its
 * own number, so translation memory never answers and the CLI pays a real engine call.
 */
export const cliTranslate: Benchmark = {
  name: "cli-translate",
  unit: "s",
  goal: { of: "excess", op: "<=", target: 0.8 },
  rounds: 7,
  warmup: true,
  async setup() {
    await buildIfNeeded();
    const cwd = await mkdtemp(path.join(tmpdir(), "babelwire-cli-"));
    let database: FreshDatabase | undefined = await createDatabase();
    const env = { DATABASE_URL: database.url, DATA_DIR: path.join(cwd, "data"), LOG_LEVEL: "warn" };
    // The database exists and is migrated before anything is timed.
    await timed(process.execPath, [CLI(), "migrate"], { cwd, env });
    let round = 0;
    const sentence = () => `The city council opened a new park in the centre, number ${++round}.\n`;
    // The embedded database's own start-up, for the notes: PGlite loads its WebAssembly and data.
    const embeddedEnv = { DATA_DIR: path.join(cwd, "embedded"), LOG_LEVEL: "warn" };
    await timed(process.execPath, [CLI(), "migrate"], { cwd, env: embeddedEnv });
    const embedded = await timed(process.execPath, [CLI(), "translate", "--from", "en", "--to", "es"], {
      cwd,
      env: embeddedEnv,
      input: sentence(),
    });
    const notes = [
      "ours: `echo <sentence> | node services/cli/dist/babelwire.js translate --from en --to es` on a migrated PostgreSQL database (DATABASE_URL), glossary and translation memory looked up, Apertium called once",
      "baseline: `apertium eng-spa <file>` over the same sentence",
      `the embedded PGlite database instead (DATA_DIR, no DATABASE_URL) took ${embedded.seconds.toFixed(2)} s once in set-up: PGlite's start-up comes on top when no server runs`,
    ];
    return {
      notes,
      async ours() {
        const { seconds, stdout } = await timed(process.execPath, [CLI(), "translate", "--from", "en", "--to", "es"], {
          cwd,
          env,
          input: sentence(),
        });
        if (!stdout.includes("ayuntamiento")) throw new Error(`bench: translate answered ${stdout}`);
        return seconds;
      },
      async baseline() {
        const file = path.join(cwd, "sentence.txt");
        await writeFile(file, sentence());
        return (await timed("apertium", ["eng-spa", file], { cwd })).seconds;
      },
      async close() {
        await database?.drop();
        database = undefined;
        await rm(cwd, { recursive: true, force: true });
      },
    };
  },
};
