#!/usr/bin/env node
// Runs before `npm start` and `npm test`: installs what is missing, and is quick when nothing is
// (PATH lookups and file times only, plus one `pnpm --version`), because it runs before every test run.
// No dependencies: it runs before `pnpm install`.
//   1. pnpm 12.4.2 (corepack, else npm -g)
//   2. `pnpm install` when node_modules is missing or older than the lockfile or a package.json
//   3. as root with apt-get: redis-server, apertium, transfuse and the language pairs; for `test`
//      also what only the tests use (apertium-apy, python3-feedparser, libxml2-utils, chromium)
// `node scripts/bootstrap.mjs start` (npm's prestart) sets up what running needs; `test` (pretest, and
// the default) also what the tests use. `--list` prints the system packages of that purpose and exits.
// Set BABELWIRE_BOOTSTRAP_NO_INSTALL=1 to only check: it then installs nothing and names what to install,
// which is also how to see the message a non-root user gets.
import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";

const PNPM_VERSION = "12.4.2";
const root = fileURLToPath(new URL("..", import.meta.url));
const noInstall = process.env.BABELWIRE_BOOTSTRAP_NO_INSTALL === "1";
// This machine's registry carries no npm signatures; corepack, and pnpm's corepack wrapper when it
// downloads its native binary on first use, only accept that with integrity keys turned off.
const corepackEnv = { ...process.env, COREPACK_INTEGRITY_KEYS: "0", COREPACK_ENABLE_DOWNLOAD_PROMPT: "0" };

const purpose = process.argv.includes("start") ? "start" : "test";

/** Debian packages, how to tell each is installed, and whether running needs it or only the tests. */
const SYSTEM_PACKAGES = [
  ["redis-server", () => onPath("redis-server"), "start"],
  ["apertium", () => onPath("apertium"), "start"],
  // A recommendation of apertium that --no-install-recommends leaves out; `apertium -f html` uses it when present.
  ["transfuse", () => onPath("tf-extract"), "start"],
  ["apertium-eng-spa", () => hasMode("eng-spa"), "start"],
  ["apertium-eng-cat", () => hasMode("eng-cat"), "start"],
  ["apertium-spa-cat", () => hasMode("spa-cat"), "start"],
  ["apertium-rus-ukr", () => hasMode("rus-ukr"), "start"],
  // The APy server the engine talks to when APERTIUM_APY_URL is set (a server of its own, usually); its tests start one.
  ["apertium-apy", () => onPath("apertium-apy"), "test"],
  // Independent clients the tests hold our feeds against: Python feedparser and xmllint.
  ["python3-feedparser", () => existsSync("/usr/lib/python3/dist-packages/feedparser"), "test"],
  ["libxml2-utils", () => onPath("xmllint"), "test"],
  // The editors' desk is tested end to end in headless Chromium (playwright-core drives it; no browser is downloaded).
  ["chromium", () => onPath("chromium") || existsSync("/usr/bin/chromium"), "test"],
].filter(([, , needed]) => needed === "start" || purpose === "test");

function fail(message) {
  process.stderr.write(`babelwire: ${message}\n`);
  process.exit(1);
}

function onPath(command) {
  return (process.env.PATH ?? "").split(delimiter).some((dir) => {
    try {
      accessSync(join(dir || ".", command), constants.X_OK);
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

/** Runs a command with its output on our stderr, so progress shows without mixing into stdout. */
function run(command, args, options = {}) {
  process.stderr.write(`babelwire: ${command} ${args.join(" ")}\n`);
  const result = spawnSync(command, args, { stdio: ["ignore", 2, 2], cwd: root, ...options });
  return result.status === 0;
}

function pnpmVersion() {
  // Outside the repo, so a corepack shim answers with its activated version, not the packageManager field.
  const result = spawnSync("pnpm", ["--version"], { encoding: "utf8", cwd: "/", env: corepackEnv });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

function ensurePnpm() {
  if (onPath("pnpm") && pnpmVersion() === PNPM_VERSION) return;
  if (noInstall) fail(`pnpm ${PNPM_VERSION} is missing; install it with: npm i -g pnpm@${PNPM_VERSION}`);
  const viaCorepack =
    onPath("corepack") &&
    run("corepack", ["enable", "pnpm"], { env: corepackEnv }) &&
    run("corepack", ["prepare", `pnpm@${PNPM_VERSION}`, "--activate"], { env: corepackEnv }) &&
    pnpmVersion() === PNPM_VERSION;
  if (viaCorepack) return;
  if (!run("npm", ["install", "--global", `pnpm@${PNPM_VERSION}`]) || pnpmVersion() !== PNPM_VERSION) {
    fail(`could not install pnpm ${PNPM_VERSION}; install it with: npm i -g pnpm@${PNPM_VERSION}`);
  }
}

/** Folders of the workspace's packages: the `- dir/*` globs of pnpm-workspace.yaml. */
function workspaceDirs() {
  const file = join(root, "pnpm-workspace.yaml");
  if (!existsSync(file)) return [];
  const globs = [...readFileSync(file, "utf8").matchAll(/^\s*-\s*["']?([\w./-]+)\/\*["']?\s*$/gm)];
  return globs.map((match) => join(root, match[1] ?? ""));
}

function mtime(file) {
  return existsSync(file) ? statSync(file).mtimeMs : 0;
}

function newestManifest() {
  let newest = Math.max(mtime(join(root, "package.json")), mtime(join(root, "pnpm-lock.yaml")));
  for (const dir of workspaceDirs()) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) newest = Math.max(newest, mtime(join(dir, name, "package.json")));
  }
  return newest;
}

function ensureDependencies() {
  // pnpm leaves node_modules untouched when a lockfile was rewritten with the same content, so besides
  // its own record of the last install we keep a stamp; either being newer than every manifest will do.
  const stamp = join(root, "node_modules", ".babelwire-installed");
  const installedAt = Math.max(mtime(stamp), mtime(join(root, "node_modules", ".pnpm", "lock.yaml")));
  if (existsSync(join(root, "node_modules", ".modules.yaml")) && installedAt >= newestManifest()) return;
  if (noInstall) fail("dependencies are not installed; run: pnpm install --frozen-lockfile");
  const frozen = existsSync(join(root, "pnpm-lock.yaml")) ? ["--frozen-lockfile"] : [];
  if (!run("pnpm", ["install", ...frozen])) fail(`pnpm install ${frozen.join(" ")} failed (see above)`);
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
}

function ensureSystemPackages() {
  const missing = SYSTEM_PACKAGES.filter(([, present]) => !present()).map(([name]) => name);
  if (missing.length === 0) return;
  const canInstall = !noInstall && process.getuid?.() === 0 && onPath("apt-get");
  if (!canInstall) {
    fail(`missing ${missing.join(", ")}; install them with: sudo apt-get install -y ${missing.join(" ")}`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const installed =
    run("apt-get", ["update", "-q"], { env }) &&
    run("apt-get", ["install", "-y", "-q", "--no-install-recommends", ...missing], { env });
  if (!installed) fail(`apt-get could not install ${missing.join(" ")} (see above)`);
}

if (process.argv.includes("--list")) {
  process.stdout.write(`${SYSTEM_PACKAGES.map(([name]) => name).join("\n")}\n`);
  process.exit(0);
}
ensurePnpm();
ensureDependencies();
ensureSystemPackages();
