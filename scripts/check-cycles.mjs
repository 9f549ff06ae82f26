#!/usr/bin/env node
// Import cycles inside a package are caught by Biome's noImportCycles rule (`pnpm lint`).
// This checks the level above, the graph of @babelwire/* workspace packages (docs/architecture.md,
// "Layers"): it has no cycle, no package depends on a service, and every import a package's source
// makes, and every workspace dependency its package.json declares, is one LAYERS allows.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

// Which workspace packages each may import. `imports` binds its source files and `dependencies`;
// `testImports` adds what its *.test.ts files and `devDependencies` may also use. Core is at the
// bottom; config and metrics; db and queue; the pipeline libraries; runtime; services on top.
// Widening a row is a design decision: say why beside it, and in docs/architecture.md.
export const LAYERS = {
  "@babelwire/core": { imports: [] },
  "@babelwire/config": { imports: ["@babelwire/core"] },
  // core: the job outcomes and circuit states its series are labelled by.
  "@babelwire/metrics": { imports: ["@babelwire/core"] },
  "@babelwire/db": { imports: ["@babelwire/core"] },
  "@babelwire/queue": { imports: ["@babelwire/core"] },
  // The HTML toolkit (sanitizer, HTML and text, escaping, entities) every pipeline library shares.
  "@babelwire/html": { imports: ["@babelwire/core"] },
  // The pipeline libraries take plain records and give plain records: they never store or enqueue.
  "@babelwire/ingest": { imports: ["@babelwire/core", "@babelwire/html"] },
  "@babelwire/summarize": { imports: ["@babelwire/core"] },
  "@babelwire/syndicate": { imports: ["@babelwire/core"] },
  "@babelwire/translate": {
    // config: the engine chain is built from it; html: its sanitizer cleans engine output;
    // summarize: the lead of a translated article is an extractive summary.
    imports: ["@babelwire/core", "@babelwire/config", "@babelwire/html", "@babelwire/summarize"],
    // Its tests share engine limits through a real Redis and count engine traffic in metrics.
    testImports: ["@babelwire/queue", "@babelwire/metrics", "@babelwire/runtime"],
  },
  // The use-cases the API and the CLI share (adding, changing, removing sources, partners, tokens):
  // they store and schedule, read a would-be source's feed (ingest), check its targets against the
  // engine chain (config, translate) and write OPML (syndicate). Never HTTP, never a process.
  "@babelwire/operations": {
    imports: [
      "@babelwire/core",
      "@babelwire/config",
      "@babelwire/db",
      "@babelwire/queue",
      "@babelwire/ingest",
      "@babelwire/translate",
      "@babelwire/syndicate",
    ],
  },
  "@babelwire/runtime": {
    imports: ["@babelwire/core", "@babelwire/config", "@babelwire/metrics", "@babelwire/db", "@babelwire/queue"],
  },
  "@babelwire/ingestor": {
    imports: [
      "@babelwire/core",
      "@babelwire/config",
      "@babelwire/metrics",
      "@babelwire/db",
      "@babelwire/queue",
      "@babelwire/runtime",
      "@babelwire/ingest",
    ],
  },
  "@babelwire/translator": {
    imports: [
      "@babelwire/core",
      "@babelwire/config",
      "@babelwire/db",
      "@babelwire/queue",
      "@babelwire/runtime",
      "@babelwire/translate",
    ],
  },
  "@babelwire/summarizer": {
    imports: [
      "@babelwire/core",
      "@babelwire/config",
      "@babelwire/db",
      "@babelwire/queue",
      "@babelwire/runtime",
      "@babelwire/summarize",
    ],
  },
  "@babelwire/publisher": {
    imports: [
      "@babelwire/core",
      "@babelwire/config",
      "@babelwire/db",
      "@babelwire/queue",
      "@babelwire/runtime",
      "@babelwire/ingest",
      "@babelwire/syndicate",
    ],
  },
  "@babelwire/api": {
    imports: [
      "@babelwire/core",
      "@babelwire/config",
      "@babelwire/metrics",
      "@babelwire/db",
      "@babelwire/queue",
      "@babelwire/runtime",
      "@babelwire/html",
      "@babelwire/ingest",
      "@babelwire/translate",
      "@babelwire/syndicate",
      "@babelwire/operations",
    ],
    // Its tests poll and publish through the real workers to prove routes end to end.
    testImports: ["@babelwire/ingestor", "@babelwire/publisher"],
  },
  "@babelwire/cli": {
    // `start` runs every service in one process (the only reason it imports api); the commands
    // call the use-cases in operations.
    imports: [
      "@babelwire/core",
      "@babelwire/config",
      "@babelwire/db",
      "@babelwire/queue",
      "@babelwire/runtime",
      "@babelwire/ingest",
      "@babelwire/translate",
      "@babelwire/summarize",
      "@babelwire/operations",
      "@babelwire/api",
      "@babelwire/ingestor",
      "@babelwire/translator",
      "@babelwire/summarizer",
      "@babelwire/publisher",
    ],
  },
};

// Imports LAYERS refuses that predate the check. Each is a file (or package.json) and what it may
// still import; the list only shrinks, and an entry whose import is gone fails until it is removed.
export const KNOWN_LEAKS = [];

const GROUPS = ["packages", "services"];
const SKIPPED_DIRS = new Set(["node_modules", "dist"]);
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)["'](@babelwire\/[^/"']+)/g;

/** Every problem in the workspace at `root`, as one line each; none means the check passes. */
export function checkWorkspace(root, { layers = LAYERS, knownLeaks = KNOWN_LEAKS } = {}) {
  const nodes = readWorkspace(root);
  const leaks = new Leaks(knownLeaks);
  return [
    ...checkGraph(nodes),
    ...[...nodes.values()].flatMap((node) => checkLayers(root, node, layers, leaks)),
    ...leaks.unmet().map(({ file, target }) => `${file} no longer imports ${target}: drop it from KNOWN_LEAKS`),
  ];
}

function readWorkspace(root) {
  const nodes = new Map();
  for (const group of GROUPS) {
    if (!existsSync(join(root, group))) continue;
    for (const dir of readdirSync(join(root, group))) {
      const manifest = join(root, group, dir, "package.json");
      if (!existsSync(manifest)) continue;
      const pkg = JSON.parse(readFileSync(manifest, "utf8"));
      nodes.set(pkg.name, {
        name: pkg.name,
        group,
        dir: join(root, group, dir),
        deps: workspaceNames(pkg.dependencies),
        devDeps: workspaceNames(pkg.devDependencies),
      });
    }
  }
  return nodes;
}

function workspaceNames(dependencies) {
  return Object.keys(dependencies ?? {}).filter((name) => name.startsWith("@babelwire/"));
}

function checkGraph(nodes) {
  const problems = [];
  for (const node of nodes.values()) {
    for (const dep of [...node.deps, ...node.devDeps]) {
      if (!nodes.has(dep)) problems.push(`${node.name} depends on unknown workspace package ${dep}`);
      else if (node.group === "packages" && nodes.get(dep).group === "services")
        problems.push(`${node.name} (a package) depends on the service ${dep}`);
    }
  }
  return [...problems, ...findCycles(nodes)];
}

function findCycles(nodes) {
  const problems = [];
  const state = new Map();
  function visit(name, path) {
    if (state.get(name) === "done") return;
    if (state.get(name) === "open") {
      problems.push(`dependency cycle: ${[...path.slice(path.indexOf(name)), name].join(" → ")}`);
      return;
    }
    state.set(name, "open");
    const node = nodes.get(name);
    for (const dep of node ? [...node.deps, ...node.devDeps] : []) visit(dep, [...path, name]);
    state.set(name, "done");
  }
  for (const name of nodes.keys()) visit(name, []);
  return problems;
}

function checkLayers(root, node, layers, leaks) {
  const row = layers[node.name];
  if (!row) return [`${node.name} has no row in the layer table (LAYERS in scripts/check-cycles.mjs)`];
  const manifest = relative(root, join(node.dir, "package.json"));
  const manifestText = readFileSync(join(root, manifest), "utf8");
  const declared = [
    ...node.deps.map((target) => ({ target, test: false })),
    ...node.devDeps.map((target) => ({ target, test: true })),
  ].map(({ target, test }) => ({ file: manifest, line: lineOf(manifestText, `"${target}"`), target, test }));
  const imported = sourceFiles(node.dir).flatMap((path) => importsOf(relative(root, path), readFileSync(path, "utf8")));
  return [...declared, ...imported]
    .filter(
      ({ file, target, test }) => target !== node.name && !allows(row, target, test) && !leaks.covers(file, target),
    )
    .map(({ file, line, target, test }) => refusal(file, line, target, node.name, row, test));
}

function allows(row, target, test) {
  return row.imports.includes(target) || (test && (row.testImports ?? []).includes(target));
}

function refusal(file, line, target, name, row, test) {
  const allowed = test ? [...row.imports, ...(row.testImports ?? [])] : row.imports;
  return `${file}:${line} imports ${target}, which ${name} may not import (allowed: ${allowed.join(", ") || "nothing of ours"})`;
}

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (SKIPPED_DIRS.has(entry.name)) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

function importsOf(file, text) {
  const test = file.endsWith(".test.ts");
  return text
    .split("\n")
    .flatMap((lineText, index) =>
      [...lineText.matchAll(IMPORT)].map((match) => ({ file, line: index + 1, target: match[1], test })),
    );
}

function lineOf(text, needle) {
  return text.slice(0, text.indexOf(needle)).split("\n").length;
}

// Known leaks, remembering which were met so that a fixed one is noticed.
class Leaks {
  constructor(entries) {
    this.entries = entries;
    this.met = new Set();
  }

  covers(file, target) {
    const index = this.entries.findIndex((leak) => leak.file === file && leak.imports.includes(target));
    if (index >= 0) this.met.add(`${index} ${target}`);
    return index >= 0;
  }

  unmet() {
    return this.entries.flatMap((leak, index) =>
      leak.imports
        .filter((target) => !this.met.has(`${index} ${target}`))
        .map((target) => ({ file: leak.file, target })),
    );
  }
}

function main() {
  const at = process.argv.indexOf("--root");
  const root = at >= 0 ? process.argv[at + 1] : fileURLToPath(new URL("..", import.meta.url));
  const problems = checkWorkspace(root);
  for (const problem of problems) console.error(problem);
  if (problems.length > 0) process.exit(1);
  console.log(
    `workspace graph: ${Object.keys(LAYERS).length} packages, no cycles, every import within its layer ` +
      `(${KNOWN_LEAKS.length} known leaks)`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
