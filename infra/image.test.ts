import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../faults/support/free-port.ts";
import { until } from "../faults/support/until.ts";

// No Docker engine here: these tests hold what infra/Dockerfile's final stage holds, made the way
// its build stage makes it (`node scripts/deploy.mjs`), to what the image promises: every service
// runs on plain `node` from it, and no dev dependency is in it.

const run = promisify(execFile);
const root = fileURLToPath(new URL("..", import.meta.url));
const SERVICES = ["api", "ingestor", "translator", "summarizer", "publisher"] as const;
const scratch = mkdtempSync(join(tmpdir(), "babelwire-image-"));
const deployed = join(scratch, "app");

beforeAll(async () => {
  await run(process.execPath, [join(root, "scripts/deploy.mjs"), deployed], { cwd: root, timeout: 300_000 });
}, 320_000);

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

function manifest(file: string): {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  files?: string[];
} {
  return JSON.parse(readFileSync(file, "utf8"));
}

/** Every workspace package.json: the root's and those under packages/, services/ and the suites'. */
function workspaceManifests() {
  const files = [join(root, "package.json")];
  for (const group of ["packages", "services"]) {
    for (const name of readdirSync(join(root, group))) files.push(join(root, group, name, "package.json"));
  }
  for (const suite of ["bench", "security", "cluster"]) files.push(join(root, suite, "package.json"));
  return files.filter((file) => existsSync(file)).map(manifest);
}

describe("the deployed directory (the image's /app)", () => {
  it("ships the bundles and no TypeScript source", () => {
    for (const service of [...SERVICES, "babelwire"])
      expect(existsSync(join(deployed, `dist/${service}.js`))).toBe(true);
    expect(existsSync(join(deployed, "src"))).toBe(false);
    expect(manifest(join(deployed, "package.json")).devDependencies ?? {}).toEqual({});
  });

  it("holds no package that only development uses", async () => {
    const store = join(deployed, "node_modules/.pnpm");
    const entries = readdirSync(store).filter((entry) => entry !== "node_modules" && entry !== "lock.yaml");
    const nameOf = (entry: string) => entry.slice(0, entry.indexOf("@", 1)).replace("+", "/");
    // A name our devDependencies list is still production content when a third-party package
    // in the tree depends on it outright (fastify on ajv); an optional peer does not count.
    const neededOutright = new Set(
      entries.flatMap((entry) => {
        const file = join(store, entry, "node_modules", nameOf(entry), "package.json");
        if (!existsSync(file)) return [];
        const { dependencies, optionalDependencies } = manifest(file);
        return Object.keys({ ...dependencies, ...optionalDependencies });
      }),
    );
    const manifests = workspaceManifests();
    const production = new Set(
      manifests.flatMap((file) => Object.keys({ ...file.dependencies, ...file.optionalDependencies })),
    );
    const devOnly = [...new Set(manifests.flatMap((file) => Object.keys(file.devDependencies ?? {})))].filter(
      (name) => !production.has(name) && !neededOutright.has(name),
    );
    // The list is not empty, so the check below can fail: the compiler, the test runner, the linter…
    expect(devOnly).toEqual(expect.arrayContaining(["typescript", "vitest", "tsx", "@biomejs/biome", "esbuild"]));
    const present = entries.map(nameOf);
    expect(present.filter((name) => devOnly.includes(name) || name.startsWith("@typescript/"))).toEqual([]);
    // Nor can a built file reach one by its name.
    // (Asked of a plain node in dist/ with the image's bare environment: under vitest's environment
    // a child node finds the repository's packages.)
    const bare = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: scratch };
    for (const name of ["typescript", "tsx", "vitest", "esbuild"]) {
      await expect(
        run(process.execPath, ["-e", `require.resolve(${JSON.stringify(name)})`], {
          cwd: join(deployed, "dist"),
          env: bare,
        }),
        name,
      ).rejects.toThrow(/Cannot find module/);
    }
    await run(process.execPath, ["-e", 'require.resolve("@electric-sql/pglite")'], {
      cwd: join(deployed, "dist"),
      env: bare,
    });
  });

  it("answers `babelwire --help` on plain node", async () => {
    const { stdout } = await run(process.execPath, [join(deployed, "dist/babelwire.js"), "--help"], {
      cwd: scratch,
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: scratch },
    });
    expect(stdout).toContain("Usage: babelwire");
    expect(stdout).toContain("translate");
  });

  it("runs every service on plain node: healthy, ready on Redis and its database, and out with 0 on SIGTERM", async () => {
    const prefix = `{bwtest-image-${randomBytes(4).toString("hex")}}`;
    const started = await Promise.all(
      SERVICES.map(async (service) => {
        const port = await freePort();
        const dir = mkdtempSync(join(scratch, `${service}-`));
        const child: ChildProcess = spawn(process.execPath, [join(deployed, `dist/${service}.js`)], {
          cwd: dir,
          env: {
            PATH: process.env.PATH ?? "/usr/bin:/bin",
            HOME: dir,
            DATA_DIR: dir,
            DATABASE_URL: "memory://",
            REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
            QUEUE_PREFIX: prefix,
            HOST: "127.0.0.1",
            PORT: String(port),
            ADMIN_TOKEN: "image-test-admin-token-0123456789",
            LOG_LEVEL: "warn",
          },
          stdio: ["ignore", "pipe", "pipe"],
        });
        let output = "";
        child.stdout?.on("data", (chunk) => (output += chunk));
        child.stderr?.on("data", (chunk) => (output += chunk));
        const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
        return { service, port, child, exited, output: () => output };
      }),
    );
    try {
      for (const { service, port, child, output } of started) {
        await until(
          `${service} to be ready`,
          async () => {
            if (child.exitCode !== null) throw new Error(`${service} exited with ${child.exitCode}: ${output()}`);
            const response = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(3000) });
            return response.status === 200 ? true : undefined;
          },
          { timeoutMs: 180_000, last: output },
        );
        expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status, service).toBe(200);
      }
    } finally {
      for (const { child } of started) child.kill("SIGTERM");
    }
    for (const { service, exited, output } of started) expect(await exited, `${service}: ${output()}`).toBe(0);
  }, 300_000);
});

describe("infra/Dockerfile", () => {
  const stages = readFileSync(join(root, "infra/Dockerfile"), "utf8")
    .split("\n")
    .filter((line) => !line.startsWith("#"))
    .join("\n")
    .split(/^FROM /m)
    .slice(1);
  const final = stages.at(-1) ?? "";

  it("builds in one stage and deploys with scripts/deploy.mjs", () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(stages[0]).toMatch(/pnpm install --offline --frozen-lockfile/);
    expect(stages[0]).toMatch(/node scripts\/deploy\.mjs \/deploy/);
  });

  it("runs the deployed directory alone on Node 24 as a user other than root", () => {
    expect(final).toMatch(/^node:24[-.\w]*\n/);
    expect(final).toMatch(/^COPY --from=build \/deploy \/app$/m);
    expect(final.match(/^COPY .*/gm)).toHaveLength(1);
    expect(final).toMatch(/^USER node$/m);
    expect(final).not.toMatch(/pnpm|tsx|npm install/);
    expect(final).toMatch(/^CMD \["node", "dist\/api\.js"\]$/m);
  });
});
