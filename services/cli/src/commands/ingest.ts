import { readFeed } from "@babelwire/ingest";
import type { Command } from "commander";
import { CommandError } from "../fail.ts";

/** `ingest <url-or-file> --dry-run`: the normalized articles as JSON Lines, touching nothing. */
export function registerIngest(program: Command): void {
  program
    .command("ingest")
    .description("fetch (or read) one feed and print its normalized articles as JSON Lines")
    .argument("<url-or-file>", "a feed URL or a local file")
    .option("--dry-run", "touch no database or queue (required for now)")
    .option("--language <bcp47>", "language to assume when the feed declares none")
    .action(async (target: string, options: { dryRun?: boolean; language?: string }) => {
      if (!options.dryRun) {
        throw new CommandError("ingest: only --dry-run is supported; to ingest for real, use `sources add`");
      }
      const result = await readFeed({ url: target }, { fallbackLanguage: options.language ?? null });
      if (result.notModified) return;
      for (const article of result.articles) process.stdout.write(`${JSON.stringify(article)}\n`);
    });
}
