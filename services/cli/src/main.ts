import { Command } from "commander";
import { registerGlossary } from "./commands/glossary.ts";
import { registerIngest } from "./commands/ingest.ts";
import { registerMigrate } from "./commands/migrate.ts";
import { registerPartners } from "./commands/partners.ts";
import { registerQueues } from "./commands/queues.ts";
import { registerSources } from "./commands/sources.ts";
import { registerStart } from "./commands/start.ts";
import { registerSummarize } from "./commands/summarize.ts";
import { registerTokens } from "./commands/tokens.ts";
import { registerTranslate } from "./commands/translate.ts";
import { reportAndExit } from "./fail.ts";

const program = new Command("babelwire")
  .description("Babelwire: agency wire in, every language out")
  .showHelpAfterError()
  // Commander's own errors ("error: unknown option '--x'") in the one format every failure has.
  .configureOutput({
    outputError: (text, write) => write(`babelwire: USAGE: ${(text.split("\n")[0] ?? "").replace(/^error: /, "")}\n`),
  });

for (const register of [
  registerStart,
  registerSources,
  registerQueues,
  registerIngest,
  registerTranslate,
  registerSummarize,
  registerTokens,
  registerPartners,
  registerGlossary,
  registerMigrate,
]) {
  register(program);
}

program.parseAsync(process.argv).catch(reportAndExit);
