import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Where the shared corpora are looked for: `$CORPORA_DIR`, else `../shared/corpora` beside the repository. */
export function corporaDir(): string {
  return process.env.CORPORA_DIR ?? path.resolve(repoRoot(), "../shared/corpora");
}

/**
 * Whether the shared corpora are here. CI always has them; a clone without them still passes
 * `npm test`, running the tests that need them only where they exist (and saying so).
 */
export function corporaAvailable(): boolean {
  const available = existsSync(corporaDir());
  if (!available) console.warn(`corpora not found at ${corporaDir()}: tests that read them do not run here`);
  return available;
}

/**
 * Tests read the shared feed and sanitizer corpora from `$CORPORA_DIR`, else from
 * `../shared/corpora` beside the repository. A missing file fails the test loudly.
 */
export function corporaPath(...parts: string[]): string {
  const file = path.resolve(corporaDir(), ...parts);
  if (!existsSync(file)) throw new Error(`The shared corpus file ${file} is missing; CI provides ../shared/corpora.`);
  return file;
}

/** A file of this repository, by its path from the root. */
export function repoPath(...parts: string[]): string {
  return path.resolve(repoRoot(), ...parts);
}

/** The monorepo's root: the nearest folder up from here holding pnpm-workspace.yaml. */
export function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, "pnpm-workspace.yaml"))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("pnpm-workspace.yaml not found above this file");
    dir = parent;
  }
  return dir;
}

/** A sample article shipped in examples/samples (a copy of the shared samples), as text. */
export function readSample(name: string): string {
  const file = repoPath("examples/samples", name);
  if (!existsSync(file)) throw new Error(`The shared sample ${file} is missing; it ships in examples/samples.`);
  return readFileSync(file, "utf8");
}
