import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The shared corpora: `$CORPORA_DIR`, else `../shared/corpora` beside the repository; null when
 * neither exists, so a clone without them skips the suite instead of failing it.
 */
export function findCorporaDir(): string | null {
  const dir = process.env.CORPORA_DIR ?? path.resolve(repoRoot(), "../shared/corpora");
  return existsSync(dir) ? dir : null;
}

export function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, "pnpm-workspace.yaml"))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("pnpm-workspace.yaml not found above this file");
    dir = parent;
  }
  return dir;
}

export const SKIP_MESSAGE =
  "Corpora suite skipped: neither $CORPORA_DIR nor ../shared/corpora exists (CI provides ../shared/corpora).";
