import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Tests read the shared feed and sanitizer corpora from `$CORPORA_DIR`, else from
 * `../shared/corpora` beside the repository. A missing corpus fails the test loudly: CI has it.
 */
export function corporaPath(...parts: string[]): string {
  const file = path.resolve(process.env.CORPORA_DIR ?? path.resolve(repoRoot(), "../shared/corpora"), ...parts);
  if (!existsSync(file)) throw new Error(`The shared corpus file ${file} is missing; CI provides ../shared/corpora.`);
  return file;
}

function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, "pnpm-workspace.yaml"))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("pnpm-workspace.yaml not found above this file");
    dir = parent;
  }
  return dir;
}
