#!/usr/bin/env node
// Runs before `npm start` and `npm test`: installs what is missing, fast when nothing is.
// No dependencies: it runs before `pnpm install`.
//   1. pnpm 12.4.2 (corepack, else npm -g)
//   2. `pnpm install` when node_modules is missing or older than the lockfile or a package.json
//   3. as root with apt-get: redis-server, apertium, transfuse and the language pairs
// Set BABELWIRE_BOOTSTRAP_NO_INSTALL=1 to only check (it then names what to install).
import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";

const PNPM_VERSION = "12.4.2";
const root = new URL("..", import.meta.url).pathname;
const noInstall = process.env.BABELWIRE_BOOTSTRAP_NO_INSTALL === "1";

/** Debian packages and the file that proves each is installed. */
const SYSTEM_PACKAGES = [
  ["redis-server", () => onPath("redis-server")],
  ["apertium", () => onPath("apertium")],
  ["transfuse", () => onPath("transfuse")],
  ["apertium-eng-spa", () => hasMode("eng-spa")],
  ["apertium-eng-cat", () => hasMode("eng-cat")],
  ["apertium-spa-cat", () => hasMode("spa-cat")],
  ["apertium-rus-ukr", () => hasMode("rus-ukr")],
];

function fail(message) {
  process.stderr.write(`babelwire: ${message}\n`);
  process.exit(1);
}

function onPath(command) {
  return (process.env.PATH ?? "").split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function hasMode(mode) {
  return ["/usr/share/apertium/modes", "/usr/local/share/apertium/modes"].some((dir) =>
    existsSync(join(dir, `${mode}.mode`)),
  );
}

function run(command, args, options = {}) {
  process.stderr.write(`babelwire: ${command} ${args.join(" ")}\n`);
  const result = spawnSync(command, args, { stdio: ["ignore", "inherit", "inherit"], cwd: root, ...options });
  return result.status === 0;
}

function pnpmVersion() {
  const result = spawnSync("pnpm", ["--version"], { encoding: "utf8", cwd: "/" });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

function ensurePnpm() {
  if (onPath("pnpm") && pnpmVersion() === PNPM_VERSION) return;
  if (noInstall) fail(`pnpm ${PNPM_VERSION} is missing; install it with: npm i -g pnpm@${PNPM_VERSION}`);
  const env = { ...process.env, COREPACK_INTEGRITY_KEYS: "0", COREPACK_ENABLE_DOWNLOAD_PROMPT: "0" };
  const viaCorepack =
    onPath("corepack") &&
    run("corepack", ["enable", "pnpm"], { env }) &&
    run("corepack", ["prepare", `pnpm@${PNPM_VERSION}`, "--activate"], { env }) &&
    pnpmVersion() === PNPM_VERSION;
  if (viaCorepack) return;
  if (!run("npm", ["install", "--global", `pnpm@${PNPM_VERSION}`]) || pnpmVersion() !== PNPM_VERSION) {
    fail(`could not install pnpm ${PNPM_VERSION}; install it with: npm i -g pnpm@${PNPM_VERSION}`);
  }
}

function newestManifest() {
  let newest = statSync(join(root, "package.json")).mtimeMs;
  for (const group of ["packages", "services"]) {
    const dir = join(root, group);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      const file = join(dir, name, "package.json");
      if (existsSync(file)) newest = Math.max(newest, statSync(file).mtimeMs);
    }
  }
  const lock = join(root, "pnpm-lock.yaml");
  return existsSync(lock) ? Math.max(newest, statSync(lock).mtimeMs) : newest;
}

function ensureDependencies() {
  // pnpm leaves node_modules untouched when nothing changed, so we keep our own stamp.
  const marker = join(root, "node_modules", ".babelwire-installed");
  if (existsSync(marker) && statSync(marker).mtimeMs >= newestManifest()) return;
  if (noInstall) fail("dependencies are not installed; run: pnpm install --frozen-lockfile");
  const frozen = existsSync(join(root, "pnpm-lock.yaml")) ? ["--frozen-lockfile"] : [];
  if (!run("pnpm", ["install", ...frozen])) fail("pnpm install failed");
  writeFileSync(marker, `${new Date().toISOString()}\n`);
}

function ensureSystemPackages() {
  const missing = SYSTEM_PACKAGES.filter(([, present]) => !present()).map(([name]) => name);
  if (missing.length === 0) return;
  const canInstall = !noInstall && process.getuid?.() === 0 && onPath("apt-get");
  if (!canInstall)
    fail(`missing ${missing.join(", ")}; install them with: sudo apt-get install -y ${missing.join(" ")}`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  if (
    !run("apt-get", ["update", "-q"], { env }) ||
    !run("apt-get", ["install", "-y", "-q", "--no-install-recommends", ...missing], { env })
  ) {
    fail(`apt-get could not install ${missing.join(" ")}`);
  }
}

ensurePnpm();
ensureDependencies();
ensureSystemPackages();
