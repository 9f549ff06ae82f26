#!/usr/bin/env node
// `node scripts/deploy.mjs <dir>`: what the production image holds, made in <dir>. Builds the
// services (scripts/build.mjs), then `pnpm deploy --prod` of @babelwire/cli (its package.json
// ships only dist/) with production dependencies alone, offline from the store the install filled.
//
// Then it removes what pnpm links into the tree only as an *optional peer* dependency:
// i18next and valibot declare an optional peer on typescript for their type definitions, and
// pnpm resolves it from the workspace root's devDependencies, so `pnpm deploy --prod` carries
// the TypeScript compiler along. Nothing loads it at run time (only .d.ts files name it).
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build, upToDate } from "./build.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** `.pnpm` directory entries are `<name with / as +>@<version>[_peers]`. */
function entryName(entry) {
  const at = entry.indexOf("@", 1);
  return entry.slice(0, at).replace("+", "/");
}

/** What a package needs at run time: its dependencies, optional ones, and its required peers. */
function needs(manifest) {
  const optionalPeers = manifest.peerDependenciesMeta ?? {};
  return [
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.optionalDependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}).filter((name) => !optionalPeers[name]?.optional),
  ];
}

/**
 * Removes from the deployed tree every package nothing reaches from the deployed package.json
 * through dependencies, optional dependencies and required peers: what is left out is there
 * only as someone's optional peer. Returns the removed `.pnpm` entries.
 */
export function pruneDevTools(target) {
  const store = path.join(target, "node_modules/.pnpm");
  const entries = new Map();
  for (const entry of readdirSync(store)) {
    if (entry === "node_modules" || entry === "lock.yaml") continue;
    const name = entryName(entry);
    entries.set(name, [...(entries.get(name) ?? []), entry]);
  }
  const reached = new Set();
  const queue = needs(JSON.parse(readFileSync(path.join(target, "package.json"), "utf8")));
  while (queue.length > 0) {
    const name = queue.pop();
    if (reached.has(name)) continue;
    reached.add(name);
    for (const entry of entries.get(name) ?? []) {
      const file = path.join(store, entry, "node_modules", name, "package.json");
      if (existsSync(file)) queue.push(...needs(JSON.parse(readFileSync(file, "utf8"))));
    }
  }
  const removed = [];
  for (const [name, list] of entries) {
    if (reached.has(name)) continue;
    for (const entry of list) {
      rmSync(path.join(store, entry), { recursive: true, force: true });
      removed.push(entry);
    }
    // pnpm's hoisted link to it (node_modules/.pnpm/node_modules/<name>).
    rmSync(path.join(store, "node_modules", name), { recursive: true, force: true });
  }
  return removed;
}

export async function deploy(target, options = { offline: true }) {
  if (!upToDate()) await build();
  rmSync(target, { recursive: true, force: true });
  execFileSync(
    "pnpm",
    ["--filter", "@babelwire/cli", "deploy", "--prod", ...(options.offline ? ["--offline"] : []), target],
    { cwd: root, stdio: ["ignore", "ignore", "inherit"] },
  );
  return pruneDevTools(target);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const target = process.argv[2];
  if (!target) {
    process.stderr.write("usage: node scripts/deploy.mjs <dir>\n");
    process.exit(2);
  }
  const removed = await deploy(path.resolve(target), { offline: !process.argv.includes("--online") });
  process.stderr.write(
    `babelwire: deployed to ${target}${removed.length ? ` (dropped what only optional peers reached: ${removed.join(", ")})` : ""}\n`,
  );
}
