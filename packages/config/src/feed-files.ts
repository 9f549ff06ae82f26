import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Config } from "./env.ts";

/** The examples this project ships (its sample feeds), for the README's first steps. */
const EXAMPLES = fileURLToPath(new URL("../../../examples/", import.meta.url));

/**
 * The folders a file source may read: FEED_FILES_DIR and the project's examples. A source is
 * added by an admin, but its errors are read by editors: a path anywhere would let one reveal
 * what files exist, and fragments of them.
 */
export function feedFileRoots(config: Pick<Config, "FEED_FILES_DIR">): string[] {
  return [resolve(config.FEED_FILES_DIR), resolve(EXAMPLES)];
}
