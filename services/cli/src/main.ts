import { Command } from "commander";
import { registerGlossary } from "./commands/glossary.ts";
import { registerIngest } from "./commands/ingest.ts";
import { registerMemory } from "./commands/memory.ts";
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
  .configureOutput({ outputError: (text, write) => write(text.split("\n")[0] ? `${text.split("\n")[0]}\n` : text) });

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
  registerMemory,
  registerMigrate,
]) {
  register(program);
}

program.parseAsync(process.argv).catch(reportAndExit);
