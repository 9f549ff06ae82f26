import { existsSync } from "node:fs";
import { corporaDir } from "@babelwire/core/corpora";

/**
 * The shared corpora: `$CORPORA_DIR`, else `../shared/corpora` beside the repository; null when
 * neither exists, so a clone without them skips the suite instead of failing it.
 */
export function findCorporaDir(): string | null {
  const dir = corporaDir();
  return existsSync(dir) ? dir : null;
}

export const SKIP_MESSAGE =
  "Corpora suite skipped: neither $CORPORA_DIR nor ../shared/corpora exists (CI provides ../shared/corpora).";
