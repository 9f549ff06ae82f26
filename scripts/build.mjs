#!/usr/bin/env node
// Compiles every service to JavaScript: one esbuild bundle per entry point in services/cli/dist/,
// the workspace's TypeScript inlined, so production runs `node services/cli/dist/<entry>.js`
// with no TypeScript tooling. `--if-needed` (what the README's commands run) builds only when a
// source file, a package.json or the lockfile is newer than the last build.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const OUT_DIR = path.join(root, "services/cli/dist");
const STAMP = path.join(OUT_DIR, ".built");

/** The processes an operator runs: the CLI (`babelwire`, `start`) and each service alone. */
export const ENTRIES = {
  babelwire: "services/cli/src/main.ts",
  api: "services/api/src/main.ts",
  ingestor: "services/ingestor/src/main.ts",
  translator: "services/translator/src/main.ts",
  summarizer: "services/summarizer/src/main.ts",
  publisher: "services/publisher/src/main.ts",
  // Not a service: the ingestor's worker threads load it (packages/ingest/src/isolate).
  "isolate-worker": "packages/ingest/src/isolate/isolate-worker.ts",
};

/**
 * Packages left out of the bundle and loaded from node_modules at run time: they read files of
 * their own package (PGlite's WebAssembly and data, the dashboards' static assets) or start
 * worker threads from their files (pino). @babelwire/cli depends on each directly, so they
 * resolve from services/cli/dist in the repository and in the deployed image alike.
 */
export const EXTERNAL = [
  "@electric-sql/pglite",
  "@electric-sql/pglite-socket",
  "@electric-sql/pglite/*",
  "@bull-board/api",
  "@bull-board/api/*",
  "@bull-board/fastify",
  "@bull-board/ui",
  "@fastify/swagger-ui",
  "pino",
  "pg-native",
];

/** Newest modification time under `dir` of files that feed the build (tests excluded). */
function newest(dir) {
  let latest = 0;
  if (!existsSync(dir)) return latest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === "dist") continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(full));
    else if (/\.(ts|json|sql)$/.test(entry.name) && !/\.test\.ts$/.test(entry.name)) {
      latest = Math.max(latest, statSync(full).mtimeMs);
    }
  }
  return latest;
}

function sourcesTime() {
  let latest = statSync(path.join(root, "pnpm-lock.yaml")).mtimeMs;
  for (const group of ["packages", "services"]) {
    for (const name of readdirSync(path.join(root, group)))
      latest = Math.max(latest, newest(path.join(root, group, name)));
  }
  return Math.max(latest, statSync(fileURLToPath(import.meta.url)).mtimeMs);
}

export function upToDate() {
  return existsSync(STAMP) && Number(readFileSync(STAMP, "utf8")) >= sourcesTime();
}

/**
 * The editors' desk serves files, not modules: its page script and styles, and i18next's browser
 * build. They go beside the bundles (`desk/`), where the built API reads them (routes/desk/desk.ts).
 */
function copyDeskAssets() {
  const into = path.join(OUT_DIR, "desk");
  mkdirSync(into, { recursive: true });
  for (const name of ["desk.js", "desk.css", "i18n.js"]) {
    copyFileSync(path.join(root, "services/api/desk", name), path.join(into, name));
  }
  const fromApi = createRequire(path.join(root, "services/api/package.json"));
  const i18next = path.join(path.dirname(fromApi.resolve("i18next/package.json")), "dist", "umd", "i18next.min.js");
  copyFileSync(i18next, path.join(into, "i18next.js"));
}

export async function build() {
  const started = sourcesTime();
  // esbuild is a devDependency: imported only when a build runs, never by the built processes.
  const { build: esbuild } = await import("esbuild");
  await esbuild({
    absWorkingDir: root,
    entryPoints: ENTRIES,
    outdir: OUT_DIR,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20.11",
    chunkNames: "chunks/[name]-[hash]",
    sourcemap: "linked",
    external: EXTERNAL,
    // CommonJS dependencies bundled into ESM still call require() for Node's built-ins.
    banner: {
      js: 'import { createRequire as __bwRequire } from "node:module"; const require = __bwRequire(import.meta.url);',
    },
    logLevel: "warning",
  });
  copyDeskAssets();
  writeFileSync(STAMP, String(started));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const ifNeeded = process.argv.includes("--if-needed");
  if (!(ifNeeded && upToDate())) {
    const started = performance.now();
    await build();
    process.stderr.write(
      `babelwire: built services/cli/dist in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
    );
  }
}
