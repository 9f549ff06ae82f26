import { normalizeLanguageTag } from "@babelwire/core";
import { deleteMemoryEntry, listMemoryEntries } from "@babelwire/db";
import { memoryPair } from "@babelwire/translate";
import type { Command } from "commander";
import { withDatabase } from "../cli-runtime.ts";
import { CommandError } from "../fail.ts";

function pairOf(options: { from: string; to: string }, command: string) {
  const from = normalizeLanguageTag(options.from);
  const to = normalizeLanguageTag(options.to);
  if (!from) throw new CommandError(`memory ${command}: --from '${options.from}' is not a BCP 47 language tag`);
  if (!to) throw new CommandError(`memory ${command}: --to '${options.to}' is not a BCP 47 language tag`);
  return memoryPair(from, to);
}

/** Translation memory in the terminal, as `GET`/`DELETE /v1/memory/{from}/{to}/entries` give it. */
export function registerMemory(program: Command): void {
  const memory = program.command("memory").description("list and forget translation memory entries");
  memory
    .command("list")
    .description("a pair's entries as JSON Lines (id, origin, uses, source, target)")
    .requiredOption("--from <lang>", "source language (BCP 47)")
    .requiredOption("--to <lang>", "target language (BCP 47)")
    .option("--origin <origin>", "human | machine")
    .action(async (options: { from: string; to: string; origin?: string }) => {
      const pair = pairOf(options, "list");
      if (options.origin !== undefined && options.origin !== "human" && options.origin !== "machine") {
        throw new CommandError("memory list: --origin must be human or machine");
      }
      const origin = options.origin as "human" | "machine" | undefined;
      await withDatabase(async (db) => {
        let after: string | undefined;
        for (;;) {
          const page = await listMemoryEntries(db, pair, { origin, limit: 500, after });
          for (const entry of page) {
            const { id, origin: from, uses, source, target } = entry;
            process.stdout.write(`${JSON.stringify({ id, origin: from, uses, source, target })}\n`);
          }
          if (page.length < 500) break;
          after = page.at(-1)?.id;
        }
      });
    });
  memory
    .command("remove <id>")
    .description("forget one entry (its id from memory list)")
    .requiredOption("--from <lang>", "source language (BCP 47)")
    .requiredOption("--to <lang>", "target language (BCP 47)")
    .action(async (id: string, options: { from: string; to: string }) => {
      const pair = pairOf(options, "remove");
      await withDatabase(async (db) => {
        if (!(await deleteMemoryEntry(db, pair, id))) {
          throw new CommandError(`memory remove: no ${pair.from}→${pair.to} entry ${id}`);
        }
        process.stdout.write(`removed ${id}\n`);
      });
    });
}
