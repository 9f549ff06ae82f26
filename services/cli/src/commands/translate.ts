import { normalizeLanguageTag } from "@babelwire/core";
import { createApertiumLexicon, createEngines, type SegmentFormat, translateWithMemory } from "@babelwire/translate";
import { databaseMemory } from "@babelwire/translator";
import type { Command } from "commander";
import { withDatabase } from "../cli-runtime.ts";
import { CommandError } from "../fail.ts";
import { readStdin } from "../read-stdin.ts";

function tag(value: string, flag: string): string {
  const normalized = normalizeLanguageTag(value);
  if (!normalized) throw new CommandError(`translate: ${flag} '${value}' is not a BCP 47 language tag`);
  return normalized;
}

/**
 * `translate --from en --to es`: stdin to stdout through the same glossary, translation
 * memory and engine chain as the translator workers.
 */
export function registerTranslate(program: Command): void {
  program
    .command("translate")
    .description("translate stdin to stdout with the configured engine chain, glossary and translation memory")
    .requiredOption("--from <lang>", "source language (BCP 47)")
    .requiredOption("--to <lang>", "target language (BCP 47)")
    .option("--format <format>", "text or html", "text")
    .option("--engine <name>", "use only this engine of the chain")
    .action(async (options: { from: string; to: string; format: string; engine?: string }) => {
      if (options.format !== "text" && options.format !== "html") {
        throw new CommandError("translate: --format must be text or html");
      }
      const from = tag(options.from, "--from");
      const to = tag(options.to, "--to");
      const input = await readStdin();
      // Paragraphs (blank-line separated) are the segments, so layout survives the engine.
      const segments = input.split(/\n{2,}/);
      const overrides: Record<string, string> = options.engine ? { TRANSLATION_ENGINES: options.engine } : {};
      const result = await withDatabase(
        (db, config) =>
          translateWithMemory(databaseMemory(db), createEngines(config), {
            from,
            to,
            format: options.format as SegmentFormat,
            segments,
            lexicon: createApertiumLexicon(),
          }),
        overrides,
      );
      process.stdout.write(`${result.targets.join("\n\n").trimEnd()}\n`);
    });
}
