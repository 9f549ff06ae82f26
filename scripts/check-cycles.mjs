#!/usr/bin/env node
// Import cycles inside a package are caught by Biome's noImportCycles rule (`pnpm lint`).
// This checks the level above: the graph of @babelwire/* workspace packages must have no
// cycle, and no package may depend on a service (DESIGN.md: packages flow into services).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const nodes = new Map();
for (const group of ["packages", "services"]) {
  for (const dir of readdirSync(join(root, group))) {
    const file = join(root, group, dir, "package.json");
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, "utf8"));
    const deps = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter((name) =>
      name.startsWith("@babelwire/"),
    );
    nodes.set(pkg.name, { group, deps });
  }
}

const problems = [];
for (const [name, node] of nodes) {
  for (const dep of node.deps) {
    if (!nodes.has(dep)) problems.push(`${name} depends on unknown workspace package ${dep}`);
    else if (node.group === "packages" && nodes.get(dep).group === "services")
      problems.push(`${name} (a package) depends on the service ${dep}`);
  }
}

const state = new Map();
function visit(name, path) {
  if (state.get(name) === "done") return;
  if (state.get(name) === "open") {
    problems.push(`dependency cycle: ${[...path.slice(path.indexOf(name)), name].join(" → ")}`);
    return;
  }
  state.set(name, "open");
  for (const dep of nodes.get(name)?.deps ?? []) visit(dep, [...path, name]);
  state.set(name, "done");
}
for (const name of nodes.keys()) visit(name, []);

if (problems.length > 0) {
  for (const problem of problems) console.error(problem);
  process.exit(1);
}
console.log(`workspace graph: ${nodes.size} packages, no cycles, no package depends on a service`);
