import { existsSync, readFileSync } from "node:fs";
import { type Db, listSources } from "@babelwire/db";
import { addSource, type SourceInput, toNewSource } from "@babelwire/operations";
import type { Queues } from "@babelwire/queue";
import { parse } from "yaml";

/** On an empty database, adds the sources listed in config/sources.yaml. */
export async function seedSources(
  db: Db,
  queues: Queues,
  file: string,
  defaultTargets: string[],
  fileRoots: readonly string[],
): Promise<number> {
  if (!existsSync(file) || (await listSources(db)).length > 0) return 0;
  const document = parse(readFileSync(file, "utf8")) as { sources?: SourceInput[] } | null;
  let added = 0;
  for (const input of document?.sources ?? []) {
    await addSource(db, queues, toNewSource(input, defaultTargets, fileRoots));
    added++;
  }
  return added;
}
