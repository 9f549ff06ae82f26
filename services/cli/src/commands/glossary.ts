import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import { normalizeLanguageTag } from "@babelwire/core";
import { deleteGlossary, type GlossaryEntry, listGlossary, putGlossaryEntries } from "@babelwire/db";
import { memoryPair, parseGlossaryCsv, parseGlossaryTbx } from "@babelwire/translate";
import type { Command } from "commander";
import { withDatabase } from "../cli-runtime.ts";
import { CommandError } from "../fail.ts";
import { startProgress } from "../progress.ts";
import { printList } from "../table.ts";

const BATCH = 500;

function tag(value: string, flag: string, command = "glossary import"): string {
  const normalized = normalizeLanguageTag(value);
  if (!normalized) throw new CommandError(`${command}: ${flag} '${value}' is not a BCP 47 language tag`);
  return normalized;
}

function readEntries(file: string, text: string, pair: { from: string; to: string }): GlossaryEntry[] {
  const kind = extname(file).toLowerCase();
  try {
    if (kind === ".csv") return parseGlossaryCsv(text);
    if (kind === ".tbx" || kind === ".xml") return parseGlossaryTbx(text, pair);
  } catch (error) {
    throw new CommandError(`glossary import: ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  throw new CommandError("glossary import: the file must be .csv or .tbx");
}

export function registerGlossary(program: Command): void {
  const glossary = program.command("glossary").description("manage the glossary the engines must follow");
  glossary
    .command("import <file>")
    .description("add or replace terms from a CSV (term,translation[,caseSensitive]) or TBX file")
    .requiredOption("--from <lang>", "source language (BCP 47)")
    .requiredOption("--to <lang>", "target language (BCP 47)")
    .action(async (file: string, options: { from: string; to: string }) => {
      const pair = memoryPair(tag(options.from, "--from"), tag(options.to, "--to"));
      const text = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
        throw new CommandError(`glossary import: cannot read ${file}: ${error.code ?? error.message}`);
      });
      const entries = readEntries(file, text, pair);
      await withDatabase(async (db) => {
        let written = 0;
        const progress = startProgress("glossary import", entries.length);
        for (let start = 0; start < entries.length; start += BATCH) {
          const batch = entries.slice(start, start + BATCH);
          written += await putGlossaryEntries(db, pair, batch);
          progress.advance(batch.length);
        }
        progress.finish();
        process.stdout.write(`imported ${written} terms into the ${pair.from}→${pair.to} glossary\n`);
      });
    });
  glossary
    .command("list")
    .description("list a language pair's glossary terms")
    .requiredOption("--from <lang>", "source language (BCP 47)")
    .requiredOption("--to <lang>", "target language (BCP 47)")
    .option("--json", "JSON Lines instead of a table")
    .action(async (options: { from: string; to: string; json?: boolean }) => {
      const pair = memoryPair(tag(options.from, "--from", "glossary list"), tag(options.to, "--to", "glossary list"));
      await withDatabase(async (db) => {
        const entries = await listGlossary(db, pair);
        printList(entries, options, ["TERM", "TRANSLATION", "CASE-SENSITIVE"], (entry) => [
          entry.term,
          entry.translation,
          entry.caseSensitive ? "yes" : "no",
        ]);
      });
    });
  glossary
    .command("remove")
    .description("remove one term from a language pair's glossary")
    .argument("<term>", "the term as listed")
    .requiredOption("--from <lang>", "source language (BCP 47)")
    .requiredOption("--to <lang>", "target language (BCP 47)")
    .action(async (term: string, options: { from: string; to: string }) => {
      const pair = memoryPair(
        tag(options.from, "--from", "glossary remove"),
        tag(options.to, "--to", "glossary remove"),
      );
      await withDatabase(async (db) => {
        if ((await deleteGlossary(db, pair, term)) === 0) {
          throw new CommandError(
            `glossary remove: no term '${term}' in the ${pair.from}→${pair.to} glossary`,
            1,
            "NOT_FOUND",
          );
        }
        process.stdout.write(`removed '${term}' from the ${pair.from}→${pair.to} glossary\n`);
      });
    });
}
